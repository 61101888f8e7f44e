import { z } from "zod";

// A run of dates for an event: the start time of each copy (the original keeps its own).

export const MAX_RUN_DATES = 30;
/** Places written at once across the copies (each copy writes one row per place). */
export const MAX_RUN_PLACES = 250_000;

const start = z.coerce
  .date({ message: "Each date needs a day and a time" })
  .refine((d) => !Number.isNaN(d.getTime()), "Each date needs a day and a time")
  .refine((d) => d.getUTCFullYear() <= 9000, "Use a year before 9000")
  .refine((d) => d.getTime() > Date.now(), "Each date must be in the future");

export const createRunSchema = z.strictObject({
  dates: z
    .array(start)
    .min(1, "Add at least one date")
    .max(MAX_RUN_DATES, `At most ${MAX_RUN_DATES} dates at a time`)
    .refine((ds) => new Set(ds.map((d) => d.getTime())).size === ds.length, "Each date may appear only once"),
  publish: z.boolean().default(false),
});

export type CreateRunInput = z.input<typeof createRunSchema>;
