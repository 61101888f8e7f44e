import { requireRequestActor } from "@/lib/auth/actor";
import { orThrow } from "@/lib/errors";
import { json, readParams, route } from "@/lib/http";
import { deactivatePromoCode } from "@/lib/promo-codes/manage";
import { managedPromoCodeSchema, promoCodeItemParamsSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string; codeId: string };

/** Deactivate a code: no new checkout may use it; bookings made with it keep their discount. */
export const POST = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId, codeId } = await readParams(ctx, promoCodeItemParamsSchema);
  const { promoCode } = orThrow(await deactivatePromoCode(actor, eventId, codeId));
  return json(managedPromoCodeSchema.parse(promoCode), 200, { "cache-control": "no-store" });
});
