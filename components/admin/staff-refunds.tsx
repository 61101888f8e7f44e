import type { BookingView } from "@/lib/bookings";
import { formatMoney } from "@/lib/money";
import { LocalTime } from "../local-time";

// A booking's refunds as the organizer sees them (lib/refunds): who refunded which tickets, why,
// how much went back, and whether the payment provider has confirmed it. Oldest first.

type Refund = BookingView["refunds"][number];

const WHO: Record<Refund["kind"], string> = {
  ORGANIZER: "Refunded by the organizer",
  CUSTOMER: "Cancelled by the customer",
  EVENT_CANCELLED: "Event cancelled",
};

const MONEY: Record<Refund["status"], string> = {
  REFUNDED: "refunded to the card (confirmed by the payment provider)",
  PENDING: "being refunded to the card (the provider has not confirmed yet; retried automatically)",
  NONE: "no card payment to refund",
};

export function StaffRefunds({ refunds, tickets, currency }: { refunds: Refund[]; tickets: { id: string; label: string }[]; currency: string }) {
  const labels = new Map(tickets.map((t) => [t.id, t.label]));
  return (
    <section aria-labelledby="past-refunds" className="space-y-2" data-testid="staff-refunds">
      <h2 id="past-refunds" className="text-lg font-semibold">
        Refunds of this booking
      </h2>
      {refunds.length === 0 ? (
        <p className="text-sm text-slate-600">None yet.</p>
      ) : (
        <ul className="space-y-3 text-sm">
          {refunds.map((r) => (
            <li key={r.id} className="rounded-lg border border-slate-200 bg-white p-3" data-testid="staff-refund">
              <p className="font-semibold">
                {WHO[r.kind]} · <LocalTime iso={r.createdAt} />
              </p>
              <p>{r.ticketIds.map((id) => labels.get(id) ?? "a ticket").join("; ")}</p>
              <p>
                {r.amountMinor === 0
                  ? MONEY.NONE
                  : `${formatMoney(r.amountMinor, currency)} ${r.status === "NONE" ? "to return at the box office (not paid by card)" : MONEY[r.status]}`}
                {r.feeMinor > 0 ? ` · cancellation fee kept: ${formatMoney(r.feeMinor, currency)}` : ""}
              </p>
              <p className="text-slate-700">Reason: {r.reason}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
