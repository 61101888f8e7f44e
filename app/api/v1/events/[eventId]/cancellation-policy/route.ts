import { actorFromRequest, requireRequestActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { orThrow } from "@/lib/errors";
import { json, readJson, readParams, route } from "@/lib/http";
import { getCancellationPolicy, setCancellationPolicy } from "@/lib/refunds/policy";
import { cancellationPolicySchema } from "@/lib/refunds/schemas";
import { paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string };

/** Until when customers may cancel their bookings of this event, and for what fee. Public for published events. */
export const GET = route<Params>(async (req, ctx) => {
  const actor = await actorFromRequest(req);
  const { eventId } = await readParams(ctx, paramsSchema);
  const policy = await getCancellationPolicy(actor, eventId);
  if (!policy) throw new AppError("not_found", "No such event.");
  return json(policy);
});

/** Set the policy (the event's organizer or an admin); it applies to cancellations from now on. */
export const PUT = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, paramsSchema);
  const body = await readJson(req, cancellationPolicySchema);
  const { policy } = orThrow(await setCancellationPolicy(actor, eventId, body));
  return json(policy, 200, { "cache-control": "no-store" });
});
