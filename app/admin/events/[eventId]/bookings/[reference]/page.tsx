import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RefundForm, type RefundTicket } from "@/components/admin/refund-form";
import { StaffRefunds } from "@/components/admin/staff-refunds";
import { LocalTime } from "@/components/local-time";
import { requireManagedEventPage } from "@/lib/auth/guards";
import { formatReference } from "@/lib/bookings/reference";
import { formatMoney } from "@/lib/money";
import { getStaffBooking } from "@/lib/refunds/staff";
import { placeLabel } from "@/lib/seatmap/labels";
import { refundBookingAction } from "../actions";

export const metadata: Metadata = { title: "Booking" };

// One booking of the organizer's event: the customer, each ticket's state, the refunds so far,
// and the refund form (choose tickets, give a reason, review the amount, confirm).

export default async function StaffBookingPage({ params }: { params: Promise<{ eventId: string; reference: string }> }) {
  const { eventId, reference } = await params;
  const { actor, event } = await requireManagedEventPage(`/admin/events/${eventId}/bookings/${reference}`, eventId);
  const booking = await getStaffBooking(actor, event.id, reference);
  if (!booking) notFound();
  const tickets: RefundTicket[] = booking.tickets.map((t) => ({ id: t.id, label: placeLabel(t), priceMinor: t.priceMinor, status: t.status }));
  const live = tickets.filter((t) => t.status === "VALID").length;
  return (
    <div className="space-y-6">
      <Link href={`/admin/events/${event.id}/bookings`} className="text-sm font-semibold text-brand-700 underline">
        ← Bookings of {event.title}
      </Link>
      <header className="space-y-2">
        <h1 className="text-2xl font-bold">
          Booking <span className="font-mono tracking-wider">{formatReference(booking.reference)}</span>
        </h1>
        <dl className="grid gap-x-4 gap-y-1 text-sm text-slate-800 sm:grid-cols-[auto_1fr]">
          <dt className="font-medium text-slate-600">Customer</dt>
          <dd data-testid="booking-customer">
            {booking.customerName} · {booking.customerEmail}
          </dd>
          <dt className="font-medium text-slate-600">Paid</dt>
          <dd>
            {booking.amountMinor === 0 ? "Free" : formatMoney(booking.amountMinor, booking.currency)}
            {booking.paid ? " by card" : booking.amountMinor > 0 ? " (not by card: at the box office)" : ""} · booked <LocalTime iso={booking.createdAt} />
          </dd>
          <dt className="font-medium text-slate-600">Status</dt>
          <dd className="font-semibold" data-testid="staff-booking-status">
            {booking.status === "CANCELLED" ? "Cancelled" : live < tickets.length ? `Confirmed · ${live} of ${tickets.length} tickets valid` : "Confirmed"}
          </dd>
        </dl>
      </header>
      <RefundForm
        action={refundBookingAction}
        eventId={event.id}
        reference={booking.reference}
        currency={booking.currency}
        paid={booking.paid}
        tickets={tickets}
        open={booking.status === "CONFIRMED" && live > 0}
      />
      <StaffRefunds refunds={booking.refunds} tickets={tickets} currency={booking.currency} />
    </div>
  );
}
