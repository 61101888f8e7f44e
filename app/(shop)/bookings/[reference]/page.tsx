import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { BookingDetail } from "@/components/bookings/booking-detail";
import { actorFromSession } from "@/lib/auth/actor";
import { resolveBooking } from "@/lib/bookings/access";
import { getEventDetail } from "@/lib/events/queries";
import { CancellationNote } from "@/components/events/cancellation-note";
import { formatMoney } from "@/lib/money";
import { LocalTime } from "@/components/local-time";
import { quoteCancellation } from "@/lib/refunds/refund";
import type { CancellationQuote } from "@/lib/refunds/schemas";
import { CancelBooking } from "./cancel-booking";

// The private link's key must not leak to other sites through the Referer header.
export const metadata: Metadata = { title: "Your booking", referrer: "no-referrer" };

type Params = { params: Promise<{ reference: string }>; searchParams: Promise<{ paid?: string; cancelled?: string; key?: string | string[] }> };

/** The confirmation page after paying, any booking by its reference, and a booking's private link (?key=). */
export default async function BookingPage({ params, searchParams }: Params) {
  const { reference } = await params;
  const { paid, cancelled, key } = await searchParams;
  const accessKey = typeof key === "string" ? key : undefined;
  const actor = await actorFromSession();
  if (!actor && !accessKey) redirect(`/login?next=${encodeURIComponent(`/bookings/${reference}`)}`);
  const booking = await resolveBooking(reference, accessKey, actor);
  if (!booking) notFound(); // someone else's booking, or a wrong key, is indistinguishable from none
  const event = await getEventDetail(booking.eventId, actor);
  // Only the booking's own customer, signed in, is offered to cancel it (lib/refunds decides) —
  // not on the confirmation right after paying, which every buyer of an on-sale rush loads and
  // which stays within the checkout's round-trip budget (tests/integration/round-trips.test.ts).
  const quote = actor && booking.status === "CONFIRMED" && !paid ? await quoteCancellation(actor, booking.reference) : null;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      {paid && (
        <div role="status" className="no-print rounded-xl border border-emerald-300 bg-emerald-50 px-5 py-4 text-emerald-900" data-testid="paid-banner">
          <p className="text-lg font-semibold">You&apos;re going! Your booking is confirmed.</p>
          {actor?.guest ? (
            <p className="text-sm">
              Your tickets are below, and on their way to {actor.email} with a private link to this page.{" "}
              <Link href="/account" className="font-semibold underline">
                Keep them in an account
              </Link>
              .
            </p>
          ) : (
            <p className="text-sm">
              Your tickets are below and always in{" "}
              <Link href="/account/bookings" className="font-semibold underline">
                My bookings
              </Link>
              . We have emailed them to you too.
            </p>
          )}
        </div>
      )}
      {cancelled && booking.status === "CANCELLED" && (
        <p role="status" className="no-print rounded-xl border border-emerald-300 bg-emerald-50 px-5 py-4 text-emerald-900" data-testid="cancelled-banner">
          Your booking is cancelled. What comes back to your card is shown under Refunds below, and we have emailed you.
        </p>
      )}
      <BookingDetail booking={booking} venueAddress={event?.venueAddress} endsAt={event?.endsAt} accessKey={accessKey} />
      {/* The policy in words wherever the quote is not read (right after paying, or by the private link). */}
      {!quote && event && booking.status === "CONFIRMED" && (
        <CancellationNote policy={event.cancellationPolicy} startsAt={event.startsAt} className="no-print rounded-xl border border-slate-200 bg-white p-4" />
      )}
      {quote && (
        <section aria-labelledby="cancel-title" className="no-print rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="cancel-title" className="mb-2 text-lg font-semibold">
            Cancel this booking
          </h2>
          {quote.allowed ? (
            <>
              {quote.until && (
                <p className="mb-2 text-sm text-slate-700">
                  You can cancel until <LocalTime iso={quote.until} />.
                </p>
              )}
              <CancelBooking reference={booking.reference} summary={describeQuote(quote)} />
            </>
          ) : (
            <p className="text-sm text-slate-700" data-testid="cancel-closed">
              {quote.reason}
            </p>
          )}
        </section>
      )}
    </div>
  );
}

function describeQuote(q: CancellationQuote): string {
  const back = formatMoney(q.refundMinor, q.currency);
  const fee =
    q.feeMinor > 0 ? ` (the tickets' ${formatMoney(q.ticketsMinor, q.currency)} minus a cancellation fee of ${formatMoney(q.feeMinor, q.currency)})` : "";
  return `If you cancel now you get ${back} back${fee}.`;
}
