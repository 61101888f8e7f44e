import { requireRequestActor } from "@/lib/auth/actor";
import { orThrow } from "@/lib/errors";
import { json, readJson, readParams, route } from "@/lib/http";
import { createTicketType, listTicketTypes } from "@/lib/ticket-types/manage";
import { managedTicketTypeListSchema, managedTicketTypeSchema, ticketTypeInputSchema, ticketTypeParamsSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string };

/** Every ticket type of the event, retired ones too, with prices now and what each sold: the event's organizer and admins. */
export const GET = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, ticketTypeParamsSchema);
  const { items } = orThrow(await listTicketTypes(actor, eventId));
  return json(managedTicketTypeListSchema.parse({ items }), 200, { "cache-control": "no-store" });
});

/** A new ticket type with its price per section (201). */
export const POST = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, ticketTypeParamsSchema);
  const body = await readJson(req, ticketTypeInputSchema);
  const { ticketType } = orThrow(await createTicketType(actor, eventId, body));
  return json(managedTicketTypeSchema.parse(ticketType), 201, { "cache-control": "no-store" });
});
