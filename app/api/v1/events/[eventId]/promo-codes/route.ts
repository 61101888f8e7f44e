import { requireRequestActor } from "@/lib/auth/actor";
import { orThrow } from "@/lib/errors";
import { json, readJson, readParams, route } from "@/lib/http";
import { createPromoCode, listPromoCodes } from "@/lib/promo-codes/manage";
import { managedPromoCodeListSchema, managedPromoCodeSchema, promoCodeInputSchema, promoCodeParamsSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string };

/** Every discount code of the event with its use counts: the event's organizer and admins. */
export const GET = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, promoCodeParamsSchema);
  const { items } = orThrow(await listPromoCodes(actor, eventId));
  return json(managedPromoCodeListSchema.parse({ items }), 200, { "cache-control": "no-store" });
});

/** A new discount code (201). */
export const POST = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, promoCodeParamsSchema);
  const body = await readJson(req, promoCodeInputSchema);
  const { promoCode } = orThrow(await createPromoCode(actor, eventId, body));
  return json(managedPromoCodeSchema.parse(promoCode), 201, { "cache-control": "no-store" });
});
