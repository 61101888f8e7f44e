import { requireRequestActor } from "@/lib/auth/actor";
import { AppError, orThrow } from "@/lib/errors";
import { json, readJson, readParams, route } from "@/lib/http";
import { joinWaitlist } from "@/lib/waitlist/join";
import { listWaitlist } from "@/lib/waitlist/read";
import { joinWaitlistSchema, waitlistParamsSchema } from "@/lib/waitlist/schemas";

export const dynamic = "force-dynamic";

type Params = { eventId: string };

/** Join a sold-out event's waiting list: 201 with your entry (200 when you were already in line). */
export const POST = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, waitlistParamsSchema);
  const body = await readJson(req, joinWaitlistSchema);
  const { entry, joined } = orThrow(await joinWaitlist(actor, eventId, body));
  return json(entry, joined ? 201 : 200, { "cache-control": "no-store" });
});

/** The whole list, in order: the event's organizer and admins only (others: 404). */
export const GET = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, waitlistParamsSchema);
  const entries = actor.role === "CUSTOMER" ? null : await listWaitlist(actor, eventId);
  if (!entries) throw new AppError("not_found", "This event does not exist or is not yours.");
  return json({ entries }, 200, { "cache-control": "no-store" });
});
