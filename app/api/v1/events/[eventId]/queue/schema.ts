import { z } from "zod";

export const paramsSchema = z.object({ eventId: z.uuid("Not a valid event id") });

// Join and status take no body and no query: the visitor token comes from the tq_v_<eventId>
// cookie or the Queue-Token header (API clients keep it from the join reply).
