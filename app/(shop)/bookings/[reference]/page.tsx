import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { BookingDetail } from "@/components/bookings/booking-detail";
import { actorFromSession } from "@/lib/auth/actor";
import { getBookingByReference } from "@/lib/bookings";
import { getEventDetail } from "@/lib/events/queries";

export const metadata: Metadata = { title: "Your booking" };

type Params = { params: Promise<{ reference: string }>; searchParams: Promise<{ paid?: string }> };

/** The confirmation page after paying, and any booking by its reference. */
export default async function BookingPage({ params, searchParams }: Params) {
  const { reference } = await params;
  const { paid } = await searchParams;
  const actor = await actorFromSession();
  if (!actor) redirect(`/login?next=${encodeURIComponent(`/bookings/${reference}`)}`);
  const booking = await getBookingByReference(actor, reference);
  if (!booking) notFound(); // someone else's booking is indistinguishable from none
  const event = await getEventDetail(booking.eventId, actor);
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      {paid && (
        <div role="status" className="no-print rounded-xl border border-emerald-300 bg-emerald-50 px-5 py-4 text-emerald-900" data-testid="paid-banner">
          <p className="text-lg font-semibold">You&apos;re going! Your booking is confirmed.</p>
          <p className="text-sm">
            Your tickets are below and always in{" "}
            <Link href="/account/bookings" className="font-semibold underline">
              My bookings
            </Link>
            .
          </p>
        </div>
      )}
      <BookingDetail booking={booking} venueAddress={event?.venueAddress} endsAt={event?.endsAt} />
    </div>
  );
}
