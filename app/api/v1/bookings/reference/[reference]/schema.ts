import { z } from "zod";

// A booking reference as people type it: "7KQ2M9XD", "7kq2-m9xd" (case, dashes and look-alikes forgiven).
export const paramsSchema = z.object({ reference: z.string().min(1).max(32, "A booking reference is 8 characters") });
