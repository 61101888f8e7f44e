import { z } from "zod";

// What an organizer sends to create or change a ticket type (lib/ticket-types/manage.ts), one
// schema for the REST body and the admin form; and the answers REST clients get.

export const MAX_TYPE_PRICE_MINOR = 100_000_000;

const priceEntry = z.strictObject({
  sectionId: z.uuid("Pick a section of this event"),
  priceMinor: z.number({ message: "Enter a price" }).int("Use minor units (cents)").min(0, "Not below 0").max(MAX_TYPE_PRICE_MINOR, "Too high"),
});

export const ticketTypeInputSchema = z.strictObject({
  name: z.string({ message: "Name the ticket type" }).trim().min(1, "Name the ticket type").max(60, "Use at most 60 characters"),
  note: z.string().trim().max(200, "Use at most 200 characters").default(""),
  sortOrder: z.number().int("Use a whole number").min(0, "Not below 0").max(1000, "At most 1000").default(0),
  limit: z.number().int("Use a whole number").min(1, "At least 1, or no limit").max(1_000_000, "At most 1,000,000").nullable().default(null),
  prices: z
    .array(priceEntry)
    .min(1, "Offer it in at least one section")
    .max(100, "At most 100 sections")
    .refine((list) => new Set(list.map((p) => p.sectionId)).size === list.length, "Each section at most once"),
});
export type TicketTypeRequest = z.input<typeof ticketTypeInputSchema>;
export type TicketTypeInput = z.output<typeof ticketTypeInputSchema>;

/** A checkout's choice of type for one of its places (the confirm request's `ticketTypes`). */
export const ticketChoiceSchema = z.strictObject({
  inventoryId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe("A place of the reservation (its item's inventoryId)"),
  ticketTypeId: z.uuid("A ticket type id"),
});
export const ticketChoicesSchema = z
  .array(ticketChoiceSchema)
  .max(100)
  .refine((list) => new Set(list.map((c) => c.inventoryId)).size === list.length, "Choose one type per place");
export type TicketChoice = z.infer<typeof ticketChoiceSchema>;

// REST answers.
const sectionPrice = z.object({ sectionId: z.uuid(), sectionName: z.string(), priceMinor: z.number().int() });

export const publicTicketTypeSchema = z
  .strictObject({
    id: z.uuid(),
    name: z.string(),
    note: z.string(),
    sortOrder: z.number().int(),
    prices: z.array(sectionPrice).describe("The sections it is offered in, at the price in force now (a hold keeps the price in force when it began)"),
  })
  .meta({ id: "TicketType" });

export const managedTicketTypeSchema = z
  .strictObject({
    id: z.uuid(),
    name: z.string(),
    note: z.string(),
    sortOrder: z.number().int(),
    limit: z.number().int().nullable().describe("At most this many live tickets of the type for the event; null: no limit"),
    retiredAt: z.string().nullable().describe("Offered to no hold made after this instant"),
    sold: z.number().int().describe("Live tickets of this type"),
    taken: z.number().int().describe("What counts against the limit: live tickets plus places in checkouts being paid"),
    prices: z.array(sectionPrice),
  })
  .meta({ id: "ManagedTicketType" });
export type ManagedTicketType = z.infer<typeof managedTicketTypeSchema>;
export const managedTicketTypeListSchema = z.strictObject({ items: z.array(managedTicketTypeSchema) });

export const ticketTypeParamsSchema = z.object({ eventId: z.uuid("Not a valid event id") });
export const ticketTypeItemParamsSchema = z.object({ eventId: z.uuid("Not a valid event id"), typeId: z.uuid("Not a valid ticket type id") });
