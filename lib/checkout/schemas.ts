import { z } from "zod";
import { promoCodeEntrySchema } from "@/lib/promo-codes/schemas";
import { ticketChoicesSchema, type TicketChoice } from "@/lib/ticket-types/schemas";

// The confirm request, shared by the REST route and the website's checkout form.

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export const cardSchema = z.strictObject({
  number: z
    .string({ message: "Enter the card number" })
    .max(40)
    .transform((s) => s.replace(/[\s-]/g, ""))
    .pipe(
      z
        .string()
        .regex(/^\d{12,19}$/, "Enter the card number (12 to 19 digits)")
        .refine(luhn, "This card number is not valid"),
    ),
  expMonth: z.coerce.number({ message: "Enter the expiry month" }).int().min(1, "Month 1 to 12").max(12, "Month 1 to 12"),
  expYear: z.coerce.number({ message: "Enter the expiry year" }).int().min(2000, "Use a 4-digit year").max(2100, "Use a 4-digit year"),
  cvc: z.string({ message: "Enter the security code" }).regex(/^\d{3,4}$/, "3 or 4 digits"),
  name: z.string().trim().max(100).optional(),
});

export const paymentSchema = z.discriminatedUnion(
  "method",
  [
    z.strictObject({ method: z.literal("mock"), card: cardSchema }),
    z.strictObject({ method: z.literal("stripe"), paymentMethodId: z.string().regex(/^pm_[A-Za-z0-9_]{1,200}$/, "A Stripe payment method id (pm_…)") }),
    z.strictObject({ method: z.literal("free") }),
  ],
  { message: 'Choose a payment method: "mock", "stripe" or "free"' },
);

export const confirmInputSchema = z.strictObject({
  reservationId: z.uuid("A reservation id"),
  payment: paymentSchema,
  // Events with ticket types (docs/box-office.md): the type per place; a place left out gets its
  // section's first type. Ignored for an event without types.
  ticketTypes: ticketChoicesSchema.optional(),
  // A discount code of the event (docs/promo-codes.md), in any case; refused with a reason on
  // `promoCode` (unknown, expired, used up, not for these places) and nothing is charged.
  promoCode: promoCodeEntrySchema.optional(),
});

// Printable ASCII without spaces, like Stripe's keys; UUIDs fit.
export const idempotencyKeySchema = z
  .string()
  .min(1, "Send an Idempotency-Key (a UUID is ideal)")
  .max(255, "Use at most 255 characters")
  .regex(/^[\x21-\x7e]+$/, "Use printable ASCII without spaces");

export type CardInput = { number: string; expMonth: number; expYear: number; cvc: string; name?: string };
export type ConfirmInput = {
  reservationId: string;
  payment: { method: "mock"; card: CardInput } | { method: "stripe"; paymentMethodId: string } | { method: "free" };
  ticketTypes?: TicketChoice[];
  promoCode?: string;
};
