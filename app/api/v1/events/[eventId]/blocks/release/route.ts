import { requireRequestActor } from "@/lib/auth/actor";
import { unblockPlaces } from "@/lib/blocking/block";
import { orThrow } from "@/lib/errors";
import { json, readJson, readParams, route } from "@/lib/http";
import { blockParamsSchema, unblockRequestSchema, unblockResultSchema } from "./schema";

export const dynamic = "force-dynamic";

/** Put places kept off sale back on sale (the waiting list is offered them first). */
export const POST = route<{ eventId: string }>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, blockParamsSchema);
  const body = await readJson(req, unblockRequestSchema);
  const result = unblockResultSchema.parse(orThrow(await unblockPlaces(actor, eventId, body)));
  return json(result, 200, { "cache-control": "no-store" });
});
