import { requireRequestActor } from "@/lib/auth/actor";
import { orThrow } from "@/lib/errors";
import { json, readJson, readParams, route } from "@/lib/http";
import { updateTicketType } from "@/lib/ticket-types/manage";
import { managedTicketTypeSchema, ticketTypeInputSchema, ticketTypeItemParamsSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string; typeId: string };

/** Change a ticket type: name, note, order and limit at once; a changed price is a new version for holds made from now on. */
export const PUT = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId, typeId } = await readParams(ctx, ticketTypeItemParamsSchema);
  const body = await readJson(req, ticketTypeInputSchema);
  const { ticketType } = orThrow(await updateTicketType(actor, eventId, typeId, body));
  return json(managedTicketTypeSchema.parse(ticketType), 200, { "cache-control": "no-store" });
});
