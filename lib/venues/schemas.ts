import { timeZoneSchema } from "@/lib/time-zone";
import { z } from "zod";
import { parseSeatRefs, unknownSeatRefs } from "./accessibility";
import { layoutCapacity } from "./layout";

// Wheelchair spaces and companion seats: a list of "ROW:SEAT" or the text a person typed
// ("A1, A2, K:5-8"), stored canonically (lib/venues/accessibility.ts).
const seatRefs = z
  .union([z.array(z.string().max(20)).max(2000), z.string().max(20_000)])
  .transform((v, ctx) => {
    const { refs, errors } = parseSeatRefs(Array.isArray(v) ? v.join(",") : v);
    for (const message of errors) ctx.addIssue({ code: "custom", message });
    return refs.length ? refs : undefined;
  })
  .optional();

export const layoutSchema = z
  .strictObject({
    rows: z.coerce.number().int().min(1, "At least 1 row").max(200, "At most 200 rows"),
    seatsPerRow: z.coerce.number().int().min(1, "At least 1 seat per row").max(500, "At most 500 seats per row"),
    rowLabels: z.enum(["letters", "numbers"]).default("letters"),
    numbering: z.enum(["ltr", "rtl"]).default("ltr"),
    aisles: z.array(z.coerce.number().int().min(1)).max(20).default([]),
    curve: z.coerce.number().min(0).max(1).default(0),
    offsetX: z.coerce.number().min(-2000).max(2000).default(0),
    offsetY: z.coerce.number().min(-2000).max(2000).default(0),
    rotation: z.coerce.number().min(-360, "Between -360 and 360 degrees").max(360, "Between -360 and 360 degrees").optional(),
    wheelchair: seatRefs,
    companion: seatRefs,
  })
  .superRefine((l, ctx) => {
    for (const key of ["wheelchair", "companion"] as const) {
      const unknown = unknownSeatRefs(l, l[key] ?? []);
      if (unknown.length) ctx.addIssue({ code: "custom", path: [key], message: `No such seat in this section: ${unknown.slice(0, 5).join(", ")}` });
    }
  });

/** A general-admission section's place on the map (optional: without one it is sold from its picker alone). */
export const mapAreaSchema = z.strictObject({
  x: z.coerce.number().min(-2000).max(2000),
  y: z.coerce.number().min(-2000).max(2000),
  width: z.coerce.number().min(1, "At least 1").max(2000),
  height: z.coerce.number().min(1, "At least 1").max(2000),
});

const name = z.string().trim().min(1, "Give it a name").max(80, "Use at most 80 characters");

export const sectionTemplateSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("ASSIGNED"), name, layout: layoutSchema }),
  z.strictObject({ kind: z.literal("GA"), name, capacity: z.coerce.number().int().min(1, "At least 1 place").max(100_000), area: mapAreaSchema.optional() }),
]);

export const venueInputSchema = z.strictObject({
  name: z.string().trim().min(1, "Give the venue a name").max(120),
  address: z.string().trim().max(300).default(""),
  // Event times at this venue are entered and shown on its clock (lib/time-zone.ts). Left out:
  // VENUE_TIME_ZONE_DEFAULT for a new venue, unchanged for an edit.
  timeZone: timeZoneSchema.optional(),
  sections: z.array(sectionTemplateSchema).min(1, "Add at least one section").max(50),
});

export type SectionTemplateInput = z.infer<typeof sectionTemplateSchema>;
export type VenueInput = z.infer<typeof venueInputSchema>;

/** Places of a section (a venue's template or an event's own); the whole venue must fit the 100,000-place ceiling. */
export function templateCapacity(s: { kind: "GA"; capacity: number } | { kind: "ASSIGNED"; layout: { rows: number; seatsPerRow: number } }): number {
  return s.kind === "GA" ? s.capacity : layoutCapacity(s.layout);
}
