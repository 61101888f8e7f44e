import { z } from "zod";

export const paramsSchema = z.object({
  reference: z.string().min(1).max(32, "A booking reference is 8 characters"),
  ticketId: z.uuid("Not a valid ticket id"),
});
