import { z } from "zod";

export const paramsSchema = z.object({ eventId: z.uuid("Not a valid event id") });
