import { requireRequestActor } from "@/lib/auth/actor";
import { AppError, orThrow } from "@/lib/errors";
import { json, readParams, route } from "@/lib/http";
import { leaveWaitlist } from "@/lib/waitlist/join";
import { getMyWaitlistEntry } from "@/lib/waitlist/read";
import { waitlistParamsSchema } from "@/lib/waitlist/schemas";

export const dynamic = "force-dynamic";

type Params = { eventId: string };

/** Your place on this event's waiting list (your latest entry), or 404. */
export const GET = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, waitlistParamsSchema);
  const entry = await getMyWaitlistEntry(actor, eventId);
  if (!entry) throw new AppError("not_found", "You are not on this event's waiting list.");
  return json(entry, 200, { "cache-control": "no-store" });
});

/** Leave the waiting list while still waiting. Idempotent: 204 either way. */
export const DELETE = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, waitlistParamsSchema);
  orThrow(await leaveWaitlist(actor, eventId));
  return new Response(null, { status: 204 });
});
