import "server-only";
import { bookingConfirmed, bookingRefunded, eventCancelled } from "./booking";
import { emailChanged, passwordChanged, passwordReset, verifyEmail } from "./account";
import type { Rendered } from "./layout";
import { waitlistOffer, type WaitlistOfferPayload } from "./waitlist";

export type { Rendered } from "./layout";

// One renderer per kind of outbox message (lib/mail/outbox.ts MAIL_KINDS). Rendering happens
// when the message is sent; the payload holds ids and facts, the secret the links' tokens.

type P = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown, d: number) => (typeof v === "number" ? v : d);

export async function renderMail(kind: string, payload: P, secret: Record<string, string>): Promise<Rendered> {
  switch (kind) {
    case "booking_confirmed":
      return bookingConfirmed(payload, secret);
    case "event_cancelled":
      return eventCancelled(payload);
    case "booking_refunded":
      return bookingRefunded(payload);
    case "password_reset":
      return passwordReset({ name: str(payload.name), minutes: num(payload.minutes, 60) }, need(secret.token));
    case "verify_email":
      return verifyEmail({ name: str(payload.name), change: payload.change === true, hours: num(payload.hours, 48) }, need(secret.token));
    case "email_changed":
      return emailChanged({ name: str(payload.name), newEmail: str(payload.newEmail) ?? "a new address" });
    case "password_changed":
      return passwordChanged({ name: str(payload.name) });
    case "waitlist_offer":
      return waitlistOffer(payload as WaitlistOfferPayload);
    default:
      throw new Error(`no template for outbox message kind "${kind}"`);
  }
}

function need(token: string | undefined): string {
  if (!token) throw new Error("the message's token is missing");
  return token;
}
