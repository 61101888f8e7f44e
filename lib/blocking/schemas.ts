import { z } from "zod";

// What an organizer may ask when keeping places off sale or giving them back. Assigned seats
// are named by id (the seat map's ids); general admission by section and a number of places.

export const BLOCK_REASONS = ["House", "Press", "Production", "Wheelchair reserve", "Artist guests", "Other"] as const;
export const MAX_BLOCK_PER_REQUEST = 2000;

const seatIds = z
  .array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER))
  .min(1, "Select at least one seat")
  .max(MAX_BLOCK_PER_REQUEST, `Select at most ${MAX_BLOCK_PER_REQUEST} seats at a time`)
  .transform((ids) => [...new Set(ids)]);
const quantity = z.coerce.number().int("Use a whole number").min(1, "At least 1").max(100_000);

export const blockReasonSchema = z
  .string({ message: "Say why these places are kept off sale" })
  .trim()
  .min(1, "Say why these places are kept off sale")
  .max(80, "Use at most 80 characters");

export const blockRequestSchema = z.union(
  [z.strictObject({ seatIds, reason: blockReasonSchema }), z.strictObject({ sectionId: z.uuid("Pick a section"), quantity, reason: blockReasonSchema })],
  { message: "Send seatIds, or sectionId with quantity, and a reason" },
);

export const unblockRequestSchema = z.union([z.strictObject({ seatIds }), z.strictObject({ sectionId: z.uuid("Pick a section"), quantity })], {
  message: "Send seatIds, or sectionId with quantity",
});

export type BlockRequest = z.input<typeof blockRequestSchema>;
export type UnblockRequest = z.input<typeof unblockRequestSchema>;

// REST: the path and the answers (lib/api/paths/box-office.ts documents them).
export const blockParamsSchema = z.object({ eventId: z.uuid("Not a valid event id") });
const skippedSeatSchema = z.object({
  id: z.number().int(),
  label: z.string(),
  state: z.enum(["held", "sold", "blocked", "unknown"]).describe("Why this seat was left alone"),
});
export const blockResultSchema = z.object({ blocked: z.number().int(), skipped: z.array(skippedSeatSchema) });
export const unblockResultSchema = z.object({ released: z.number().int(), skipped: z.array(skippedSeatSchema) });
export const blockListSchema = z.object({
  blocks: z.array(
    z.object({
      sectionId: z.uuid(),
      sectionName: z.string(),
      kind: z.enum(["ASSIGNED", "GA"]),
      reason: z.string(),
      count: z.number().int(),
      seatIds: z.array(z.number().int()),
      seats: z.array(z.string()),
      blockedBy: z.string().nullable(),
      since: z.string(),
    }),
  ),
});
