import { requireRequestActor } from "@/lib/auth/actor";
import { blockPlaces } from "@/lib/blocking/block";
import { listBlocks } from "@/lib/blocking/read";
import { AppError, orThrow } from "@/lib/errors";
import { json, readJson, readParams, route } from "@/lib/http";
import { blockParamsSchema, blockRequestSchema, blockResultSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string };

/** Places kept off sale, grouped by section and reason: the event's organizer and admins. */
export const GET = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, blockParamsSchema);
  const blocks = await listBlocks(actor, eventId);
  if (!blocks) throw new AppError("not_found", "This event does not exist or is not yours.");
  return json({ blocks }, 200, { "cache-control": "no-store" });
});

/** Keep places off sale (house, press…): the free ones of the selection; held or sold seats are reported back. */
export const POST = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, blockParamsSchema);
  const body = await readJson(req, blockRequestSchema);
  const result = blockResultSchema.parse(orThrow(await blockPlaces(actor, eventId, body)));
  return json(result, 200, { "cache-control": "no-store" });
});
