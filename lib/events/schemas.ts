import { z } from "zod";
import { MAX_PLACES_PER_ORDER } from "@/lib/holds/schemas";
import { timeZoneSchema } from "@/lib/time-zone";
import { layoutSchema, mapAreaSchema } from "@/lib/venues/schemas";

// What an organizer may send to create or edit an event. Creation and editing share every field
// rule below; creation adds defaults, the venue and the sections, editing adds the version it
// was loaded with. The time rules (checkEventTimes) are the same for both.

// Bounded to four-digit years: PostgreSQL cannot parse the extended years JavaScript allows.
const isoDate = (label: string) =>
  z.coerce
    .date({ message: `${label} must be a date and time` })
    .refine((d) => !Number.isNaN(d.getTime()), `${label} must be a valid date`)
    .refine((d) => d.getUTCFullYear() >= 1970 && d.getUTCFullYear() <= 9999, `${label} must be between 1970 and 9999`);

const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #4f46e5")
  .optional();
const price = z.coerce.number().int("Use whole minor units (cents)").min(0, "Price cannot be negative").max(10_000_000);
const sectionName = z.string().trim().min(1, "Give it a name").max(80);
const venueDetails = z.strictObject({
  name: z.string().trim().min(1, "Name the venue").max(120),
  address: z.string().trim().max(300).default(""),
  timeZone: timeZoneSchema.optional(), // the event's times are on this clock (default VENUE_TIME_ZONE_DEFAULT)
});

const fields = {
  title: z.string().trim().min(1, "Give the event a title").max(160, "Use at most 160 characters"),
  description: z.string().trim().max(5000, "Use at most 5000 characters").default(""),
  imageUrl: z
    .url({ protocol: /^https?$/, message: "Use an http(s) image URL" })
    .max(1000)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  startsAt: isoDate("Start"),
  endsAt: isoDate("End"),
  saleStartsAt: isoDate("Sale start"),
  saleEndsAt: isoDate("Sale end"),
  holdMinutes: z.coerce.number().int().min(1, "At least 1 minute").max(60, "At most 60 minutes"),
  maxPerOrder: z.coerce.number().int().min(1, "At least 1").max(MAX_PLACES_PER_ORDER, `At most ${MAX_PLACES_PER_ORDER}`),
  // Places per customer over all their orders, held and bought (lib/holds/customer-limit.ts);
  // empty or null: no such limit. Left out of an edit: unchanged.
  maxPerCustomer: z
    .union([
      z.literal("").transform(() => null),
      z.null(),
      z.coerce.number({ message: "Enter a number of places, or leave it empty" }).int("Use a whole number").min(1, "At least 1").max(1000, "At most 1000"),
    ])
    .optional(),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "Use a 3-letter currency code"),
};

const creation = {
  ...fields,
  holdMinutes: fields.holdMinutes.default(10),
  maxPerOrder: fields.maxPerOrder.default(10),
  currency: fields.currency.default("EUR"),
  publish: z.boolean().default(false),
};

/** Offered only to holders of an access code naming it (docs/promo-codes.md, "Hidden sections"). */
const hidden = z.boolean({ message: "true or false" }).optional();

export const registeredVenueEventSchema = z.strictObject({
  ...creation,
  venueId: z.uuid("Pick a venue"),
  sections: z
    .array(z.strictObject({ venueSectionId: z.uuid(), priceMinor: price, color, hidden }))
    .min(1, "Set a price for every section")
    .max(50),
});

export const customSectionSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("ASSIGNED"), name: sectionName, layout: layoutSchema, priceMinor: price, color, hidden }),
  z.strictObject({
    kind: z.literal("GA"),
    name: sectionName,
    capacity: z.coerce.number().int().min(1).max(100_000),
    area: mapAreaSchema.optional(),
    priceMinor: price,
    color,
    hidden,
  }),
]);

const customSections = z.array(customSectionSchema).min(1, "Add at least one section").max(50);

export const customVenueEventSchema = z.strictObject({ ...creation, venue: venueDetails, sections: customSections });

export function checkEventTimes(e: { startsAt: Date; endsAt: Date; saleStartsAt: Date; saleEndsAt: Date }, ctx: z.RefinementCtx) {
  if (e.endsAt < e.startsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "The event must end after it starts" });
  if (e.saleEndsAt <= e.saleStartsAt) ctx.addIssue({ code: "custom", path: ["saleEndsAt"], message: "Sales must end after they start" });
  if (e.saleEndsAt > e.endsAt) ctx.addIssue({ code: "custom", path: ["saleEndsAt"], message: "Sales must end by the end of the event" });
}

export const eventInputSchema = z
  .union([registeredVenueEventSchema, customVenueEventSchema], { message: "Give either venueId with section prices, or a custom venue with sections" })
  .superRefine(checkEventTimes);

/** An edit: the editable fields, the version the form was loaded with, and (for drafts) venue and sections. */
export const eventUpdateSchema = z
  .strictObject({
    version: z.coerce.number().int().min(1),
    ...fields,
    venue: venueDetails.optional(),
    sections: customSections.optional(),
  })
  .superRefine(checkEventTimes);

export type EventInput = z.infer<typeof eventInputSchema>;
export type EventUpdateInput = z.infer<typeof eventUpdateSchema>;
export type CustomSectionInput = z.infer<typeof customSectionSchema>;
