import { z } from "zod";
import { holdRequestSchema } from "@/lib/holds/schemas";

export const paramsSchema = z.object({ eventId: z.uuid("Not a valid event id") });

// { "seatIds": [101, 102] } for assigned seats, or { "sectionId": "…", "quantity": 2 } for GA.
export const bodySchema = holdRequestSchema;
