import { z } from "zod";

// What a customer may ask for. Shared by the REST route and the website (through
// ./place-hold.ts), so both refuse the same input with the same field errors. The per-event
// limit (max_per_order, at most MAX_PLACES_PER_ORDER) is checked by holdSeats against the whole
// open reservation.

/** At most this many places in one hold request, and in one event's max_per_order. */
export const MAX_PLACES_PER_ORDER = 100;

const seatId = z.number({ message: "Seat ids are numbers" }).int("Seat ids are whole numbers").positive("Seat ids are positive").max(Number.MAX_SAFE_INTEGER);

export const assignedHoldSchema = z.strictObject({
  seatIds: z
    .array(seatId)
    .min(1, "Pick at least one seat")
    .max(MAX_PLACES_PER_ORDER, `Pick at most ${MAX_PLACES_PER_ORDER} seats`)
    .refine((ids) => new Set(ids).size === ids.length, "Each seat may appear only once"),
});

export const gaHoldSchema = z.strictObject({
  sectionId: z.uuid("Pick a section"),
  quantity: z
    .number({ message: "Quantity is a number" })
    .int("Use a whole number")
    .min(1, "At least 1")
    .max(MAX_PLACES_PER_ORDER, `At most ${MAX_PLACES_PER_ORDER}`),
});

export const holdRequestSchema = z.union([assignedHoldSchema, gaHoldSchema], {
  message: "Send either seatIds (assigned seats) or sectionId with quantity (general admission)",
});
