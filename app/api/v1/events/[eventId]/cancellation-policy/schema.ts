import { z } from "zod";

export const paramsSchema = z.object({ eventId: z.uuid("An event id") });
