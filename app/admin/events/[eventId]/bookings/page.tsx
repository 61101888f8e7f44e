import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { buttonStyles } from "@/components/button-styles";
import { LocalTime } from "@/components/local-time";
import { requireManagedEventPage } from "@/lib/auth/guards";
import { formatReference } from "@/lib/bookings/reference";
import { formatMoney } from "@/lib/money";
import { searchEventBookings } from "@/lib/refunds/staff";

export const metadata: Metadata = { title: "Bookings" };

// The organizer's way into one booking of their event (to refund it, or to answer a customer):
// search by the booking reference, the customer's email or name; newest bookings first.

export default async function EventBookingsPage({ params, searchParams }: { params: Promise<{ eventId: string }>; searchParams: Promise<{ q?: string }> }) {
  const { eventId } = await params;
  const { actor, event } = await requireManagedEventPage(`/admin/events/${eventId}/bookings`, eventId);
  const found = await searchEventBookings(actor, event.id, (await searchParams).q);
  if (!found) notFound();
  const { query, hits } = found;
  return (
    <div className="space-y-6">
      <Link href={`/admin/events/${event.id}`} className="text-sm font-semibold text-brand-700 underline">
        ← {event.title}
      </Link>
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Bookings and refunds</h1>
        <p className="max-w-prose text-sm text-slate-700">
          Find a booking to see its tickets and refunds, or to refund it: the whole booking or some of its tickets.
        </p>
      </header>
      <form role="search" method="get" className="flex max-w-xl flex-wrap items-end gap-2">
        <div className="min-w-64 flex-1 space-y-1">
          <label htmlFor="q" className="block text-sm font-medium text-slate-800">
            Booking reference, customer email or name
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={query}
            maxLength={200}
            placeholder="e.g. 80EQ-FRQG or ada@example.com"
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm"
          />
        </div>
        <button type="submit" className={buttonStyles("primary")}>
          Search
        </button>
      </form>
      <p className="text-sm text-slate-700" aria-live="polite" data-testid="booking-hits">
        {query
          ? `${hits.length === 0 ? "No" : hits.length} booking${hits.length === 1 ? " matches" : "s match"} “${query}”.`
          : hits.length === 0
            ? "Nobody has booked this event yet."
            : `The ${hits.length} most recent bookings.`}
      </p>
      {hits.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="bookings-table">
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th className="px-3 py-2">Reference</th>
                <th className="px-3 py-2">Customer</th>
                <th className="px-3 py-2 text-right">Tickets</th>
                <th className="px-3 py-2 text-right">Paid</th>
                <th className="px-3 py-2">Status</th>
                <th className="px-3 py-2">Booked</th>
              </tr>
            </thead>
            <tbody>
              {hits.map((b) => (
                <tr key={b.reference} className="border-t border-slate-100">
                  <td className="px-3 py-2 font-mono">
                    <Link href={`/admin/events/${event.id}/bookings/${b.reference}`} className="font-semibold text-brand-700 underline">
                      {formatReference(b.reference)}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    {b.customerName} <span className="text-slate-600">{b.customerEmail}</span>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{b.liveTickets === b.tickets ? b.tickets : `${b.liveTickets} of ${b.tickets}`}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{b.amountMinor === 0 ? "Free" : formatMoney(b.amountMinor, b.currency)}</td>
                  <td className="px-3 py-2">{b.status === "CANCELLED" ? "Cancelled" : b.liveTickets < b.tickets ? "Partly refunded" : "Confirmed"}</td>
                  <td className="px-3 py-2">
                    <LocalTime iso={b.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
