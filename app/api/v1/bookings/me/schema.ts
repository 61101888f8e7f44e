import { z } from "zod";

export const querySchema = z.strictObject({ when: z.enum(["upcoming", "past"], { message: 'Use "upcoming" or "past"' }).optional() });
