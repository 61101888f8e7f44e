import { requireRequestActor } from "@/lib/auth/actor";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { getHouseSeats } from "@/lib/dashboard/house";
import { getEventDashboard } from "@/lib/dashboard/stats";
import { AppError } from "@/lib/errors";
import { json, route } from "@/lib/http";

export const dynamic = "force-dynamic";

// What the live dashboard polls: counts, revenue, sales buckets, recent bookings and the seat
// states. Staff only; another organizer's event is 404.
export const GET = route<{ eventId: string }>(async (req, ctx) => {
  const actor = await requireRequestActor(req, STAFF_ROLES);
  const { eventId } = await ctx.params;
  const dashboard = await getEventDashboard(actor, eventId);
  if (!dashboard) throw new AppError("not_found", "No such event.");
  const seats = await getHouseSeats(dashboard.event.id, dashboard.event.published);
  return json({ dashboard, seats }, 200, { "cache-control": "private, no-store" });
});
