import { z } from "zod";

// Requests of the refund use cases, shared by the REST routes and the website's forms.

export const refundRequestSchema = z.strictObject({
  ticketIds: z
    .array(z.uuid("A ticket id"))
    .min(1, "Choose at least one ticket")
    .max(100, "At most 100 tickets at once")
    .refine((ids) => new Set(ids).size === ids.length, "Name each ticket once")
    .optional()
    .describe("The tickets to refund; omit to refund every ticket still valid"),
  reason: z
    .string({ message: "Say why (the customer reads it)" })
    .trim()
    .min(3, "Say why in a few words (the customer reads it)")
    .max(500, "Use at most 500 characters"),
});
export type RefundRequestInput = z.infer<typeof refundRequestSchema>;

export const cancellationPolicySchema = z
  .strictObject({
    allowed: z.boolean().describe("Whether customers may cancel their own bookings"),
    hoursBefore: z
      .number()
      .int("Whole hours")
      .min(0, "0 or more hours")
      .max(8760, "At most 8760 hours (a year)")
      .nullable()
      .default(null)
      .describe("Cancelling is possible until this many hours before the start (required when allowed)"),
    feeMinor: z.number().int("Whole minor units (cents)").min(0, "Not negative").max(10_000_000).default(0).describe("A fixed fee per cancellation"),
    feePercent: z.number().int("A whole percentage").min(0, "0 to 100").max(100, "0 to 100").default(0).describe("Or a percentage of the tickets' price"),
  })
  .superRefine((p, ctx) => {
    if (p.allowed && p.hoursBefore === null) ctx.addIssue({ code: "custom", path: ["hoursBefore"], message: "Say until how many hours before the start" });
    if (p.feeMinor > 0 && p.feePercent > 0) ctx.addIssue({ code: "custom", path: ["feePercent"], message: "Choose a fixed fee or a percentage, not both" });
  });
export type CancellationPolicyInput = z.infer<typeof cancellationPolicySchema>;

export const cancellationPolicyViewSchema = z.strictObject({
  allowed: z.boolean(),
  hoursBefore: z.number().int().nullable(),
  feeMinor: z.number().int(),
  feePercent: z.number().int(),
  currency: z.string(),
});
export type CancellationPolicy = z.infer<typeof cancellationPolicyViewSchema>;

export const refundViewSchema = z.strictObject({
  id: z.uuid(),
  reference: z.string().describe("The booking's reference"),
  kind: z.enum(["ORGANIZER", "CUSTOMER", "EVENT_CANCELLED"]),
  reason: z.string(),
  tickets: z.array(z.strictObject({ id: z.uuid(), label: z.string(), priceMinor: z.number().int() })),
  ticketsMinor: z.number().int().describe("The refunded tickets' prices"),
  feeMinor: z.number().int().describe("Kept as the cancellation fee"),
  amountMinor: z.number().int().describe("Returned to the customer: ticketsMinor − feeMinor"),
  currency: z.string(),
  status: z
    .enum(["REFUNDED", "PENDING", "NONE"])
    .describe("REFUNDED: the provider confirmed; PENDING: on its way (retried until done); NONE: nothing to pay back"),
  bookingStatus: z.enum(["CONFIRMED", "CANCELLED"]),
  createdAt: z.string(),
});
export type RefundView = z.infer<typeof refundViewSchema>;

export const cancellationQuoteSchema = z.strictObject({
  allowed: z.boolean(),
  reason: z.string().optional().describe("Why cancelling is not possible"),
  until: z.string().nullable().describe("The last moment to cancel (ISO 8601), when the event allows it"),
  ticketsMinor: z.number().int(),
  feeMinor: z.number().int(),
  refundMinor: z.number().int(),
  currency: z.string(),
});
export type CancellationQuote = z.infer<typeof cancellationQuoteSchema>;

/** The organizer's booking search: a reference, an email address or a name (or part of one). */
export const bookingSearchSchema = z.string().trim().max(200, "Use at most 200 characters");

/**
 * The organizer website's refund form (app/admin/events/[eventId]/bookings): the tickets ticked,
 * the reason, and the confirmation given on the review step. The tickets and the reason are
 * judged by refundRequestSchema inside refundTickets, exactly as for the REST route.
 */
export const refundFormSchema = z.object({
  eventId: z.uuid("Unknown event"),
  reference: z.string().trim().min(1, "Which booking?").max(40, "Which booking?"),
  reason: z.string().max(2000, "Use at most 500 characters").default(""),
  "ticketIds[]": z.array(z.string().max(100)).max(100, "At most 100 tickets at once").default([]),
  confirm: z.literal("yes", { message: "Confirm the refund on the review step" }),
});

/** The cancellation policy as the event's edit page sends it (strings from a form). */
export const cancellationPolicyFormSchema = z.object({
  eventId: z.uuid("Unknown event"),
  allowed: z.enum(["yes", "no"], { message: "Choose whether customers may cancel" }),
  hoursBefore: z.string().max(20).default(""),
  feeKind: z.enum(["none", "fixed", "percent"], { message: "Choose a kind of fee" }).default("none"),
  feeAmount: z.string().max(20).default(""),
  feePercent: z.string().max(20).default(""),
});
