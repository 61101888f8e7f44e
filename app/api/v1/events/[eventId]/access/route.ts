import { requireRequestActor } from "@/lib/auth/actor";
import { orThrow } from "@/lib/errors";
import { json, readJson, readParams, route } from "@/lib/http";
import { unlockWithAccessCode } from "@/lib/promo-codes/access";
import { accessCodeEntrySchema, accessGrantSchema, promoCodeParamsSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string };

/** Enter an access code: the signed-in customer may then hold places in the event's presale. */
export const POST = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, promoCodeParamsSchema);
  const { code } = await readJson(req, accessCodeEntrySchema);
  const { grant } = orThrow(await unlockWithAccessCode(actor, eventId, code));
  return json(accessGrantSchema.parse(grant), 200, { "cache-control": "no-store" });
});
