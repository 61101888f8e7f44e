import { requireRequestActor } from "@/lib/auth/actor";
import { orThrow } from "@/lib/errors";
import { json, readParams, route } from "@/lib/http";
import { retireTicketType } from "@/lib/ticket-types/manage";
import { managedTicketTypeSchema, ticketTypeItemParamsSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string; typeId: string };

/** Retire a ticket type: offered to no hold made from now on; holds made before and tickets sold keep it. */
export const POST = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId, typeId } = await readParams(ctx, ticketTypeItemParamsSchema);
  const { ticketType } = orThrow(await retireTicketType(actor, eventId, typeId));
  return json(managedTicketTypeSchema.parse(ticketType), 200, { "cache-control": "no-store" });
});
