import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { BookingDetail } from "@/components/bookings/booking-detail";
import { actorFromSession } from "@/lib/auth/actor";
import { getBookingByReference } from "@/lib/bookings";
import { getEventDetail } from "@/lib/events/queries";

export const metadata: Metadata = { title: "Booking" };

export default async function AccountBooking({ params }: { params: Promise<{ reference: string }> }) {
  const { reference } = await params;
  const actor = await actorFromSession();
  if (!actor) redirect(`/login?next=${encodeURIComponent(`/account/bookings/${reference}`)}`);
  const booking = await getBookingByReference(actor, reference);
  if (!booking) notFound();
  const event = await getEventDetail(booking.eventId, actor);
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <p className="no-print text-sm">
        <Link href="/account/bookings" className="font-medium text-slate-700 underline">
          ← My bookings
        </Link>
      </p>
      <BookingDetail booking={booking} venueAddress={event?.venueAddress} endsAt={event?.endsAt} />
    </div>
  );
}
