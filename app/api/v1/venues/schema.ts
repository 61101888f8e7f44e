import { z } from "zod";
import { venueInputSchema } from "@/lib/venues/schemas";

// The list takes no filters yet; anything sent is refused rather than silently ignored.
export const listVenuesQuerySchema = z.strictObject({});

// A venue with its section templates (assigned seating generated from rows × seats, or GA).
export const createVenueBodySchema = venueInputSchema;
