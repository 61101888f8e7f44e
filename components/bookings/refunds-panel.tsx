import type { BookingView } from "@/lib/bookings";
import { formatMoney } from "@/lib/money";
import { LocalTime } from "../local-time";

// A booking's refunds as its customer sees them (lib/refunds): what went back, why, and whether
// the money is on its way or done. Oldest first, as they happened.

const WHO: Record<BookingView["refunds"][number]["kind"], string> = {
  ORGANIZER: "Refunded by the organizer",
  CUSTOMER: "You cancelled",
  EVENT_CANCELLED: "The event was cancelled",
};

const MONEY: Record<BookingView["refunds"][number]["status"], string> = {
  REFUNDED: "refunded to your card",
  PENDING: "being refunded to your card (it can take a few minutes to start)",
  NONE: "nothing to refund",
};
// A refund with an amount but no card payment: a booking paid at the box office.
const AT_THE_DESK = "not paid by card here: the organizer returns it to you";

export function RefundsPanel({ booking }: { booking: BookingView }) {
  if (booking.refunds.length === 0) return null;
  const labels = new Map(booking.tickets.map((t, i) => [t.id, `ticket ${i + 1}`]));
  return (
    <section aria-labelledby="refunds-title" className="rounded-xl border border-amber-200 bg-amber-50 p-5" data-testid="refunds">
      <h2 id="refunds-title" className="text-lg font-semibold text-amber-950">
        Refunds
      </h2>
      <ul className="mt-2 space-y-3 text-sm text-amber-950">
        {booking.refunds.map((r) => (
          <li key={r.id} data-testid="refund">
            <p className="font-semibold">
              {WHO[r.kind]} · <LocalTime iso={r.createdAt} />
            </p>
            <p>
              {r.ticketIds.map((id) => labels.get(id) ?? "a ticket").join(", ")}:{" "}
              {r.amountMinor > 0 ? `${formatMoney(r.amountMinor, booking.currency)} ${r.status === "NONE" ? AT_THE_DESK : MONEY[r.status]}` : MONEY.NONE}
              {r.feeMinor > 0 ? ` (cancellation fee ${formatMoney(r.feeMinor, booking.currency)} kept)` : ""}.
            </p>
            {r.kind === "ORGANIZER" && <p className="text-amber-900">Reason: {r.reason}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
