import { requireRequestActor } from "@/lib/auth/actor";
import { createStaffOrder } from "@/lib/box-office/order";
import { orThrow } from "@/lib/errors";
import { json, readJson, readParams, route } from "@/lib/http";
import { staffOrderParamsSchema, staffOrderResultSchema, staffOrderSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string };

/** A box-office order: the event's organizer or an admin sells places to a customer (201). */
export const POST = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, staffOrderParamsSchema);
  const body = await readJson(req, staffOrderSchema);
  const order = staffOrderResultSchema.parse(orThrow(await createStaffOrder(actor, eventId, body)));
  return json(order, 201, { "cache-control": "no-store" });
});
