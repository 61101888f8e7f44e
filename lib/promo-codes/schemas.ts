import { z } from "zod";

// What an organizer sends to create a discount code (lib/promo-codes/manage.ts), one schema for
// the REST body and the admin form; the code customers type at checkout; and REST answers.

export const promoCodeTextSchema = z
  .string({ message: "Enter the code" })
  .trim()
  .min(3, "At least 3 characters")
  .max(40, "At most 40 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "Letters, digits, - and _ only");

/** The code a customer enters at checkout: any case, spaces around it ignored. */
export const promoCodeEntrySchema = z.string().trim().max(40, "At most 40 characters");

const when = z.iso.datetime({ offset: true, message: "A date and time (ISO 8601)" }).nullable().default(null);
const uuids = (message: string) =>
  z
    .array(z.uuid(message))
    .max(100)
    .nullable()
    .default(null)
    .transform((list) => (list && list.length > 0 ? [...new Set(list)] : null));

export const promoCodeInputSchema = z
  .strictObject({
    code: promoCodeTextSchema,
    kind: z.enum(["PERCENT", "FIXED"], { message: 'Choose "PERCENT" or "FIXED"' }),
    amount: z.number({ message: "Enter the discount" }).int("Use a whole number").min(1, "At least 1").max(100_000_000, "Too high"),
    validFrom: when,
    validUntil: when,
    maxUses: z.number().int("Use a whole number").min(1, "At least 1, or no limit").max(1_000_000).nullable().default(null),
    maxUsesPerCustomer: z.number().int("Use a whole number").min(1, "At least 1, or no limit").max(1000).nullable().default(null),
    sectionIds: uuids("Pick a section of this event"),
    ticketTypeIds: uuids("Pick a ticket type of this event"),
  })
  .superRefine((d, ctx) => {
    if (d.kind === "PERCENT" && d.amount > 100) ctx.addIssue({ code: "custom", path: ["amount"], message: "A percentage from 1 to 100" });
    if (d.validFrom && d.validUntil && d.validUntil <= d.validFrom) {
      ctx.addIssue({ code: "custom", path: ["validUntil"], message: "After the start of validity" });
    }
  });
export type PromoCodeRequest = z.input<typeof promoCodeInputSchema>;
export type PromoCodeInput = z.output<typeof promoCodeInputSchema>;

export const managedPromoCodeSchema = z
  .strictObject({
    id: z.uuid(),
    code: z.string(),
    kind: z.enum(["PERCENT", "FIXED"]),
    amount: z.number().int().describe("PERCENT: 1–100; FIXED: minor units off the eligible places of an order"),
    validFrom: z.string().nullable(),
    validUntil: z.string().nullable(),
    maxUses: z.number().int().nullable(),
    maxUsesPerCustomer: z.number().int().nullable(),
    sectionIds: z.array(z.uuid()).nullable().describe("Null: every section"),
    ticketTypeIds: z.array(z.uuid()).nullable().describe("Null: every ticket type"),
    active: z.boolean(),
    used: z.number().int().describe("Bookings made with the code"),
    pending: z.number().int().describe("Checkouts being paid with the code (they count against the limits)"),
    discountMinor: z.number().int().describe("Total discount given on bookings made with the code"),
  })
  .meta({ id: "PromoCode" });
export type ManagedPromoCode = z.infer<typeof managedPromoCodeSchema>;
export const managedPromoCodeListSchema = z.strictObject({ items: z.array(managedPromoCodeSchema) });

export const promoCodeParamsSchema = z.object({ eventId: z.uuid("Not a valid event id") });
export const promoCodeItemParamsSchema = z.object({ eventId: z.uuid("Not a valid event id"), codeId: z.uuid("Not a valid code id") });
