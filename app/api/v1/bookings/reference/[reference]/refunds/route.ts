import { requireRequestActor } from "@/lib/auth/actor";
import { runWithRequestFaults } from "@/lib/test-switches";
import { orThrow } from "@/lib/errors";
import { json, readJson, readParams, route } from "@/lib/http";
import { refundTickets } from "@/lib/refunds/refund";
import { refundRequestSchema } from "@/lib/refunds/schemas";
import { paramsSchema } from "../schema";

export const dynamic = "force-dynamic";

/**
 * Refund a booking, whole or some of its tickets: the event's organizer or an admin. The tickets
 * turn VOID and their places go back on sale; a second refund of the same ticket answers 409.
 */
export const POST = route<{ reference: string }>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { reference } = await readParams(ctx, paramsSchema);
  const body = await readJson(req, refundRequestSchema);
  const { refund } = orThrow(await runWithRequestFaults(req.headers.get("x-tessera-fault"), () => refundTickets(actor, reference, body)));
  return json(refund, 201, { "cache-control": "no-store" });
});
