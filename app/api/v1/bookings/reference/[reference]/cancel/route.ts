import { requireRequestActor } from "@/lib/auth/actor";
import { AppError, orThrow } from "@/lib/errors";
import { json, readParams, route } from "@/lib/http";
import { cancelOwnBooking, quoteCancellation } from "@/lib/refunds/refund";
import { paramsSchema } from "../schema";

export const dynamic = "force-dynamic";

type Params = { reference: string };

/** Whether you may cancel your booking now, until when, and what you would get back. */
export const GET = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { reference } = await readParams(ctx, paramsSchema);
  const quote = await quoteCancellation(actor, reference);
  if (!quote) throw new AppError("not_found", "No such booking.");
  return json(quote, 200, { "cache-control": "no-store" });
});

/** Cancel your whole booking under the event's cancellation policy: the refund, minus the policy's fee. */
export const POST = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { reference } = await readParams(ctx, paramsSchema);
  const { refund } = orThrow(await cancelOwnBooking(actor, reference));
  return json(refund, 200, { "cache-control": "no-store" });
});
