import { z } from "zod";
import type { TicketChoice } from "@/lib/ticket-types/schemas";

// The pay forms' ticket-type choices (./ticket-choice.tsx ChoiceFields): "inventoryId:typeId"
// per place, reshaped into the confirm request's `ticketTypes` (lib/checkout/schemas.ts checks them).

export const ticketTypeFields = z
  .array(z.string().regex(/^\d{1,15}:[0-9a-fA-F-]{36}$/, "Choose a ticket type for each place"))
  .max(100)
  .optional();

export function choicesOf(fields: string[] | undefined): { ticketTypes?: TicketChoice[] } {
  if (!fields?.length) return {};
  return {
    ticketTypes: fields.map((c) => {
      const [id, typeId] = c.split(":");
      return { inventoryId: Number(id), ticketTypeId: typeId.toLowerCase() };
    }),
  };
}
