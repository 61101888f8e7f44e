import { z } from "zod";

// Helpers shared by the organizer area's form schemas.

/** A form field carrying JSON (the section editors send their sections this way). */
export function parseJsonField(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value; // the schema then reports "expected array" on the field
  }
}

/** Runs `schema` on an already reshaped value, copying its issues (with their paths) into ctx. */
export function refineWith<S extends z.ZodType>(schema: S, value: unknown, ctx: z.RefinementCtx): z.output<S> | typeof z.NEVER {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ code: "custom", path: issue.path as PropertyKey[] as (string | number)[], message: issue.message });
  return z.NEVER;
}
