import "server-only";
import { formatMoney } from "@/lib/money";
import { button, esc, formatWhen, paragraph, shell, siteUrl, textShell, type Rendered } from "./layout";

// The waiting-list offer (lib/waitlist/offer.ts): places came back and are held in the
// customer's name until a deadline. Written to the outbox in the offer's own statement, so
// there is one message per offer; everything it says is in its payload, fixed at that moment.

export type WaitlistOfferPayload = {
  reservationId?: string;
  eventTitle?: string;
  startsAt?: string;
  timeZone?: string; // the venue's (older messages have none: their time reads in UTC)
  quantity?: number;
  sectionName?: string | null;
  amountMinor?: number;
  currency?: string;
  expiresAt?: string;
};

/** The page where the held places are paid for (the checkout of the offer's reservation). */
export const claimLink = (reservationId: string) => siteUrl(`/checkout/${encodeURIComponent(reservationId)}`);

export function waitlistOffer(p: WaitlistOfferPayload): Rendered {
  if (!p.reservationId || !p.expiresAt) throw new Error("a waiting-list offer needs its reservation and deadline");
  const n = p.quantity ?? 1;
  const places = `${n} place${n === 1 ? "" : "s"}${p.sectionName ? ` (${p.sectionName})` : ""}`;
  const event = p.eventTitle ?? "your event";
  const deadline = formatWhen(p.expiresAt);
  const link = claimLink(p.reservationId);
  const title = "Places came back: they are held for you";
  const lines = [
    `Good news from the waiting list: ${places} for ${event}${p.startsAt ? ` on ${formatWhen(p.startsAt, p.timeZone)}` : ""} came back, and we are holding ${n === 1 ? "it" : "them"} in your name.`,
    `Pay before ${deadline}${p.amountMinor ? ` (${formatMoney(p.amountMinor, p.currency ?? "EUR")} in total)` : ""} to keep ${n === 1 ? "it" : "them"}. After that the offer goes to the next person in line.`,
    "Sign in with the account you joined the waiting list with. If you no longer want these places, do nothing: the hold runs out by itself.",
  ];
  return {
    subject: `Places held for you: ${event} — pay before ${deadline}`,
    html: shell({
      title,
      preheader: `Held for you until ${deadline}.`,
      body: [
        paragraph(esc(lines[0])),
        paragraph(`<strong>${esc(lines[1])}</strong>`),
        button(link, "Pay for your places"),
        paragraph(esc(lines[2])),
        paragraph(
          `<span style="font-size:13px;color:#475569">If the button does not work, open this link: <a href="${esc(link)}" style="color:#3730a3;word-break:break-all">${esc(link)}</a></span>`,
        ),
      ].join("\n"),
    }),
    text: textShell(title, [lines[0], lines[1], `Pay for your places: ${link}`, lines[2]]),
  };
}
