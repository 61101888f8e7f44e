import { actorFromRequest } from "@/lib/auth/actor";
import { getEventDetail } from "@/lib/events/queries";
import { AppError } from "@/lib/errors";
import { json, readParams, route } from "@/lib/http";
import { eventParamsSchema } from "./schema";

export const dynamic = "force-dynamic";

// Published events for everyone; drafts only for their organizer and admins (404 for others).
export const GET = route<{ eventId: string }>(async (req, ctx) => {
  const { eventId } = await readParams(ctx, eventParamsSchema);
  const viewer = await actorFromRequest(req);
  const event = await getEventDetail(eventId, viewer);
  if (!event) throw new AppError("not_found", "No such event.");
  return json(event);
});
