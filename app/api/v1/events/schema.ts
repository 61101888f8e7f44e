import { z } from "zod";
import { EVENT_FILTERS } from "@/lib/events/queries";
import { eventInputSchema } from "@/lib/events/schemas";

export const listEventsQuerySchema = z.strictObject({
  status: z.enum(EVENT_FILTERS).optional().describe("on_sale: buyable now; upcoming: not started; past: ended; free: every section costs 0"),
  q: z.string().trim().max(100, "Use at most 100 characters").optional().describe("Words in the title or venue name"),
  page: z.coerce.number().int("Use a whole number").min(1, "Pages start at 1").max(10_000).default(1),
  pageSize: z.coerce.number().int("Use a whole number").min(1).max(100, "At most 100 per page").default(12),
});

// Either a registered venue (venueId + a price per venue section) or a custom venue with inline
// sections; the same schema the organizer's form parses with.
export const createEventBodySchema = eventInputSchema;
