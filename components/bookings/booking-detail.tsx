import Link from "next/link";
import { ZonedTime } from "@/components/zoned-time";
import type { BookingView } from "@/lib/bookings";
import { formatReference } from "@/lib/bookings";
import { buttonStyles } from "@/components/button-styles";
import { formatMoney } from "@/lib/money";
import { LocalTime } from "../local-time";
import { PrintButton } from "./print-button";
import { RefundsPanel } from "./refunds-panel";
import { TicketCard } from "./ticket-card";

/**
 * A booking with its tickets: the confirmation page, the account's booking page, and the
 * booking's private link (accessKey: carried on to the calendar file and the printable tickets).
 */
export function BookingDetail({
  booking,
  venueAddress,
  endsAt,
  accessKey,
}: {
  booking: BookingView;
  venueAddress?: string;
  endsAt?: string;
  accessKey?: string;
}) {
  const cancelled = booking.status === "CANCELLED";
  const keyQuery = accessKey ? `?key=${encodeURIComponent(accessKey)}` : "";
  return (
    <div className="space-y-6">
      <section aria-labelledby="booking-title" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-8">
        <p className="text-sm font-medium text-slate-700">Booking reference</p>
        <p className="font-mono text-3xl font-bold tracking-widest text-slate-900" data-testid="booking-reference">
          {formatReference(booking.reference)}
        </p>
        <h1 id="booking-title" className="mt-4 text-2xl font-bold">
          <Link href={`/events/${booking.eventId}`} className="hover:underline">
            {booking.eventTitle}
          </Link>
        </h1>
        <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm text-slate-800 sm:grid-cols-[auto_1fr]">
          <dt className="font-medium text-slate-600">When</dt>
          <dd>
            <ZonedTime iso={booking.startsAt} timeZone={booking.timeZone} yours />
            {endsAt && (
              <>
                {" "}
                – <ZonedTime iso={endsAt} timeZone={booking.timeZone} />
              </>
            )}
          </dd>
          <dt className="font-medium text-slate-600">Where</dt>
          <dd>
            {booking.venueName}
            {venueAddress ? `, ${venueAddress}` : ""}
          </dd>
          <dt className="font-medium text-slate-600">Paid</dt>
          <dd>
            {booking.amountMinor === 0 ? "Free" : formatMoney(booking.amountMinor, booking.currency)} · booked <LocalTime iso={booking.createdAt} />
          </dd>
          {booking.promo && (
            <>
              <dt className="font-medium text-slate-600">Discount</dt>
              <dd data-testid="booking-promo">
                Code <span className="font-mono font-semibold">{booking.promo.code}</span>: {formatMoney(booking.promo.discountMinor, booking.currency)} off
              </dd>
            </>
          )}
          <dt className="font-medium text-slate-600">Status</dt>
          <dd className={cancelled ? "font-semibold text-red-800" : "font-semibold text-emerald-800"} data-testid="booking-status">
            {cancelled
              ? booking.refunds.some((r) => r.feeMinor > 0)
                ? "Cancelled — refunded minus the cancellation fee"
                : "Cancelled — refunded"
              : "Confirmed"}
          </dd>
        </dl>
        {!cancelled && (
          <div className="no-print mt-5 flex flex-wrap gap-2">
            <a href={`/bookings/${booking.reference}/calendar${keyQuery}`} className={buttonStyles("secondary")} download data-testid="ics-link">
              Add to calendar (.ics)
            </a>
            <Link href={`/bookings/${booking.reference}/print${keyQuery}`} className={buttonStyles("secondary")}>
              Printable tickets
            </Link>
            <PrintButton />
          </div>
        )}
      </section>
      <RefundsPanel booking={booking} />
      <section aria-labelledby="tickets-title">
        <h2 id="tickets-title" className="mb-3 text-xl font-semibold">
          Your tickets ({booking.tickets.length})
        </h2>
        <p className="mb-4 text-sm text-slate-700">Show the QR code at the entrance, on your phone or printed. Each code lets one person in once.</p>
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {booking.tickets.map((t, i) => (
            <TicketCard key={t.id} ticket={t} index={i} currency={booking.currency} eventTitle={booking.eventTitle} />
          ))}
        </ul>
      </section>
    </div>
  );
}
