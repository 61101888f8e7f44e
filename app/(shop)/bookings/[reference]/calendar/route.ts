import { actorFromRequest, assertRole } from "@/lib/auth/actor";
import { formatReference } from "@/lib/bookings";
import { resolveBooking } from "@/lib/bookings/access";
import { AppError } from "@/lib/errors";
import { getEventDetail } from "@/lib/events/queries";
import { route } from "@/lib/http";
import { placeLabel } from "@/lib/seatmap/labels";
import { buildIcs } from "./ics";

export const dynamic = "force-dynamic";

// Add to calendar: the booking's event as an .ics file. Only the booking's owner (or staff
// who may see it), or whoever has the booking's private link (?key=), gets it; anyone else gets
// the same 404 as for a missing booking.
export const GET = route<{ reference: string }>(async (req, ctx) => {
  const key = new URL(req.url).searchParams.get("key") ?? undefined;
  const actor = key ? await actorFromRequest(req) : assertRole(await actorFromRequest(req));
  const { reference } = await ctx.params;
  const booking = await resolveBooking(reference, key, actor);
  if (!booking) throw new AppError("not_found", "We could not find that booking.");
  const event = await getEventDetail(booking.eventId, actor);
  const origin = new URL(req.url).origin;
  const seats = booking.tickets.map((t) => placeLabel(t)).join("; ");
  const ics = buildIcs({
    uid: `${booking.id}@tessera`,
    title: booking.eventTitle,
    startsAt: booking.startsAt,
    endsAt: event?.endsAt ?? new Date(Date.parse(booking.startsAt) + 3 * 3600_000).toISOString(),
    location: [booking.venueName, event?.venueAddress].filter(Boolean).join(", "),
    description: `Booking ${formatReference(booking.reference)}. ${booking.tickets.length} ticket(s): ${seats}. Tickets: ${origin}/bookings/${booking.reference}`,
    url: `${origin}/bookings/${booking.reference}`,
    now: new Date().toISOString(),
  });
  return new Response(ics, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": `attachment; filename="tessera-${formatReference(booking.reference)}.ics"`,
      "cache-control": "private, no-store",
    },
  });
});
