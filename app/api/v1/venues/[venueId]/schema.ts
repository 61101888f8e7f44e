import { z } from "zod";

export const venueParamsSchema = z.strictObject({ venueId: z.uuid("Use a venue id (UUID)") });
