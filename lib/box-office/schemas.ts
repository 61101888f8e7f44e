import { z } from "zod";
import { emailSchema } from "@/lib/auth/schemas";
import { promoCodeEntrySchema } from "@/lib/promo-codes/schemas";
import { ticketChoicesSchema } from "@/lib/ticket-types/schemas";
import { BOX_OFFICE_METHODS } from "./methods";

// What box-office staff send to sell places to a customer at the desk (lib/box-office/order.ts).
// Assigned seats by id (the seat map's ids) or general admission by section and number; the
// customer by email address; how it was paid. One schema for the REST body and the lib call.

export { BOX_OFFICE_METHODS, FREE_METHODS, METHOD_LABELS, type BoxOfficeMethod } from "./methods";

export const MAX_STAFF_ORDER = 100;

const customer = z.strictObject({
  email: emailSchema,
  name: z.string().trim().max(120, "Use at most 120 characters").optional(),
});
const method = z.enum(BOX_OFFICE_METHODS, { message: "Choose how the customer pays: CASH, CARD_AT_DESK, COMPLIMENTARY or INVITATION" });
const note = z.string().trim().max(200, "Use at most 200 characters").optional();
const seatIds = z
  .array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER))
  .min(1, "Select at least one seat")
  .max(MAX_STAFF_ORDER, `Sell at most ${MAX_STAFF_ORDER} places at a time`)
  .transform((ids) => [...new Set(ids)]);
// The ticket type of every place sold (docs/box-office.md); without one, each section's first type
// (or its own price when the event has no types). `ticketTypes` names a type per seat, in the
// web checkout's shape ({ inventoryId, ticketTypeId }): a seat it names takes that type, the
// others `ticketTypeId` (or the default).
const ticketTypeId = z.uuid("Pick a ticket type of this event").optional();
const ticketTypes = ticketChoicesSchema.optional();
// A discount code, applied as at checkout (docs/promo-codes.md); empty: none.
const promoCode = promoCodeEntrySchema.optional().transform((c) => c || undefined);
const quantity = z.coerce.number().int("Use a whole number").min(1, "At least 1").max(MAX_STAFF_ORDER, `At most ${MAX_STAFF_ORDER}`);

export const staffOrderSchema = z.union(
  [
    // includeBlocked: the seats named may be house seats (BLOCKED); without it they are refused.
    z.strictObject({ customer, method, note, seatIds, includeBlocked: z.boolean().default(false), ticketTypeId, ticketTypes, promoCode }),
    z.strictObject({ customer, method, note, sectionId: z.uuid("Pick a section"), quantity, ticketTypeId, promoCode }),
  ],
  { message: "Send customer, method and seatIds, or customer, method, sectionId and quantity" },
);

export type StaffOrderRequest = z.input<typeof staffOrderSchema>;
export type StaffOrderInput = z.output<typeof staffOrderSchema>;

export const staffOrderResultSchema = z.object({
  bookingId: z.uuid(),
  reference: z.string(),
  customerId: z.uuid(),
  customerEmail: z.string(),
  newGuest: z.boolean().describe("True when no account had this address and a guest account was made"),
  method: method,
  amountMinor: z.number().int(),
  currency: z.string(),
  places: z.number().int(),
  fromBlocked: z.number().int().describe("How many of the places were house seats (blocked) before this sale"),
  ticketTypeId: z.uuid().nullable().describe("The ticket type asked for the whole order; null when none was (seats may still have their own, see items)"),
  items: z
    .array(z.object({ inventoryId: z.number().int(), ticketTypeId: z.uuid().nullable(), priceMinor: z.number().int() }))
    .describe("Each place sold: its ticket type (null: the section's own price) and the price charged for it, after any discount"),
  promo: z
    .object({ code: z.string(), discountMinor: z.number().int() })
    .nullable()
    .describe("The discount code applied and the discount it gave (amountMinor is after it); null without one"),
});
export type StaffOrderResult = z.infer<typeof staffOrderResultSchema>;

export const staffOrderParamsSchema = z.object({ eventId: z.uuid("Not a valid event id") });
