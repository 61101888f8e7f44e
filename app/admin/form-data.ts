import { z } from "zod";
import { formToObject, type ActionState } from "@/lib/actions";
import type { Failure } from "@/lib/errors";

// Helpers shared by the organizer area's server actions and their form schemas.

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

/** A domain failure as form state, keeping what was typed. */
export function failureState(f: Failure): ActionState<never> {
  return { ok: false, code: f.code, formError: f.message, fieldErrors: f.fields };
}

type FormAction<T> = (prev: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;

/** Echo the submitted text fields back on every failure (lib/actions does it for its own). */
export function echoValues<T>(fn: FormAction<T>): FormAction<T> {
  return async (prev, formData) => {
    const state = await fn(prev, formData);
    if (state && !state.ok && !state.values) {
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(formToObject(formData))) if (typeof v === "string") values[k] = v;
      return { ...state, values };
    }
    return state;
  };
}
