import { z } from "zod";

export const eventParamsSchema = z.strictObject({ eventId: z.uuid("Use an event id (UUID)") });
