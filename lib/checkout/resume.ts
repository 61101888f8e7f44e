import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { db } from "@/db";
import { bookings, checkouts } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { log } from "@/lib/log";
import { PaymentTimeoutError, paymentProvider, withPaymentTimeout } from "@/lib/payments";
import { returnPathFor } from "./action-window";
import { advanceCheckout } from "./saga";

// The customer's return from a 3-D Secure challenge (./action-window.ts explains the wait).

export type Resumed = { kind: "booked"; reference: string } | { kind: "declined" | "waiting" | "closed" };

/**
 * The customer is back from the challenge: ask the provider how the charge ended and move the
 * checkout on (booked, declined, or still waiting). Only the reservation's own customer; a
 * checkout someone else already finished (the webhook) just reports its ending.
 */
export async function resumeAfterAction(actor: Actor, reservationId: string): Promise<Resumed> {
  const [c] = await db()
    .select()
    .from(checkouts)
    .where(and(eq(checkouts.reservationId, reservationId), eq(checkouts.userId, actor.id)))
    .orderBy(desc(checkouts.createdAt))
    .limit(1);
  if (!c) return { kind: "closed" };
  if (c.state === "STARTED" && c.providerRef) {
    try {
      const seen = await withPaymentTimeout("lookup", () => paymentProvider(c.provider).lookup(c.providerKey, c.providerRef, returnPathFor(reservationId)));
      if (seen.status === "succeeded" || seen.status === "declined" || seen.status === "canceled") {
        const r = await advanceCheckout(c, { kind: "outcome", outcome: seen });
        if (r.kind === "declined") return { kind: "declined" };
      }
    } catch (err) {
      if (!(err instanceof PaymentTimeoutError))
        log.warn("checkout.resume_failed", { checkoutId: c.id, error: err instanceof Error ? err.message : String(err) });
      return { kind: "waiting" };
    }
  }
  const [now] = await db().select({ state: checkouts.state, bookingId: checkouts.bookingId }).from(checkouts).where(eq(checkouts.id, c.id));
  if (now.state === "BOOKED" && now.bookingId) {
    const [b] = await db().select({ reference: bookings.reference }).from(bookings).where(eq(bookings.id, now.bookingId));
    return { kind: "booked", reference: b.reference };
  }
  if (now.state === "DECLINED") return { kind: "declined" };
  return { kind: now.state === "STARTED" ? "waiting" : "closed" };
}

/** Where the customer goes after coming back: the tickets, or the checkout page (which says what happened). */
export function pathAfterResume(reservationId: string, r: Resumed): string {
  if (r.kind === "booked") return `/bookings/${r.reference}?paid=1`;
  return `/checkout/${reservationId}${r.kind === "declined" ? "?payment=declined" : ""}`;
}
