import { z } from "zod";

export const layoutSchema = z.strictObject({
  rows: z.coerce.number().int().min(1, "At least 1 row").max(200, "At most 200 rows"),
  seatsPerRow: z.coerce.number().int().min(1, "At least 1 seat per row").max(500, "At most 500 seats per row"),
  rowLabels: z.enum(["letters", "numbers"]).default("letters"),
  numbering: z.enum(["ltr", "rtl"]).default("ltr"),
  aisles: z.array(z.coerce.number().int().min(1)).max(20).default([]),
  curve: z.coerce.number().min(0).max(1).default(0),
  offsetX: z.coerce.number().min(-2000).max(2000).default(0),
  offsetY: z.coerce.number().min(-2000).max(2000).default(0),
});

const name = z.string().trim().min(1, "Give it a name").max(80, "Use at most 80 characters");

export const sectionTemplateSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("ASSIGNED"), name, layout: layoutSchema }),
  z.strictObject({ kind: z.literal("GA"), name, capacity: z.coerce.number().int().min(1, "At least 1 place").max(100_000) }),
]);

export const venueInputSchema = z.strictObject({
  name: z.string().trim().min(1, "Give the venue a name").max(120),
  address: z.string().trim().max(300).default(""),
  sections: z.array(sectionTemplateSchema).min(1, "Add at least one section").max(50),
});

export type SectionTemplateInput = z.infer<typeof sectionTemplateSchema>;
export type VenueInput = z.infer<typeof venueInputSchema>;

/** Total places of a venue; the whole venue must fit the 100,000-place ceiling. */
export function templateCapacity(s: SectionTemplateInput): number {
  return s.kind === "GA" ? s.capacity : s.layout.rows * s.layout.seatsPerRow;
}
