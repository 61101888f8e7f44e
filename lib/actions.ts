import "server-only";
import { headers } from "next/headers";
import { z } from "zod";
import { actorFromSession, claimsFromSession, type Claims } from "@/lib/auth/actor";
import type { Actor, Role } from "@/lib/auth/roles";
import { AppError, fieldErrors, isDatabaseUnavailable, type ErrorCode, type Failure, type FieldErrors } from "@/lib/errors";
import { log } from "@/lib/log";
import { assertRateLimit } from "@/lib/rate-limit";
import { clientAddress } from "@/lib/security/client-address";

// Every server action goes through `action()`: session → role → zod → handler(data, actor).
// Server actions are public HTTP endpoints, so none may skip this. Forms get one typed state:
// field errors beside fields, a form-level message, and the submitted values echoed back so
// nothing typed is lost. A domain failure becomes form state in one place: failureState().

/**
 * A form's state after an action. A failed one carries the form-level message, field errors, what
 * was typed, and — when a domain rule refused — the typed failure itself, so a page can read its
 * details (e.g. the takenSeatIds of seat_taken) without guessing.
 */
export type FailedState = { ok: false; code?: ErrorCode; formError?: string; fieldErrors?: FieldErrors; values?: Record<string, string>; failure?: Failure };
export type ActionState<T = unknown> = { ok: true; message?: string; data?: T } | FailedState | null;

/** A page's own wording for some codes (people, not API clients, read these); a function may use the failure's details. */
export type FailureMessages = { [C in ErrorCode]?: string | ((failure: Failure<C>) => string) };

/** The one mapping from a domain failure to form state. */
export function failureState(failure: Failure, messages: FailureMessages = {}): FailedState {
  const wording = messages[failure.code] as string | ((f: Failure) => string) | undefined;
  const formError = typeof wording === "function" ? wording(failure) : (wording ?? failure.message);
  return { ok: false, code: failure.code, formError, fieldErrors: failure.fields, failure };
}

type Options<S extends z.ZodType> = { schema: S; roles?: readonly Role[] };

// An action is a public endpoint: anyone can post it arguments that are not a form at all (a
// string, a number, nothing). That is bad input, answered like a form with a problem, never a 500.
const NOT_A_FORM = {
  ok: false,
  code: "validation_failed",
  formError: "This form could not be read. Reload the page and try again.",
} as const satisfies ActionState<never>;

function formValues(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(formData instanceof FormData)) return out;
  for (const [k, v] of formData.entries()) {
    if (typeof v === "string" && !/password|card|cvc/i.test(k) && !k.startsWith("$ACTION")) out[k] = v;
  }
  return out;
}

export function formToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!(formData instanceof FormData)) return out;
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = key.endsWith("[]") ? all : all[0];
  }
  return out;
}

export function action<S extends z.ZodType, T>(opts: Options<S>, handler: (data: z.output<S>, actor: Actor) => Promise<ActionState<T>>) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    if (!(formData instanceof FormData)) return NOT_A_FORM;
    const values = formValues(formData);
    try {
      const actor = await actorFromSession();
      if (!actor) return { ok: false, code: "unauthorized", formError: "Your session has ended. Sign in again to continue.", values };
      if (opts.roles && !opts.roles.includes(actor.role)) {
        return { ok: false, code: "forbidden", formError: "Your account is not allowed to do this.", values };
      }
      // Per account (policy `action`). claimsAction's hold and payment and publicAction's sign-in,
      // sign-up and recovery count policies of their own inside their use cases instead.
      await assertRateLimit("action", actor.id);
      const parsed = opts.schema.safeParse(formToObject(formData));
      if (!parsed.success) {
        return { ok: false, code: "validation_failed", fieldErrors: fieldErrors(parsed.error), formError: "Please correct the highlighted fields.", values };
      }
      return withValues(await handler(parsed.data, actor), values);
    } catch (err) {
      return actionError(err, values);
    }
  };
}

/**
 * An action whose use case checks the caller itself, in its own statement (the hold, to keep it
 * to one round trip): the session's claims must be present, and the handler gets them instead
 * of an actor. The use case refuses claims that no longer name a user at that session version
 * (lib/auth/actor.ts invalidCaller), with the same answer action() gives.
 */
export function claimsAction<S extends z.ZodType, T>(opts: { schema: S }, handler: (data: z.output<S>, caller: Claims) => Promise<ActionState<T>>) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    const values = formValues(formData);
    try {
      const caller = await claimsFromSession();
      if (!caller) return { ok: false, code: "unauthorized", formError: "Your session has ended. Sign in again to continue.", values };
      const parsed = opts.schema.safeParse(formToObject(formData));
      if (!parsed.success) {
        return { ok: false, code: "validation_failed", fieldErrors: fieldErrors(parsed.error), formError: "Please correct the highlighted fields.", values };
      }
      return withValues(await handler(parsed.data, caller), values);
    } catch (err) {
      return actionError(err, values);
    }
  };
}

/** Actions that anonymous visitors may call (register, sign in). Still validated. */
export function publicAction<S extends z.ZodType, T>(opts: { schema: S }, handler: (data: z.output<S>) => Promise<ActionState<T>>) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    if (!(formData instanceof FormData)) return NOT_A_FORM;
    const values = formValues(formData);
    try {
      // Per client address (policy `action`, the same budget as signed-in forms have per
      // account); sign-in, sign-up, recovery and guest checkout then count their stricter own.
      await assertRateLimit("action", `address:${clientAddress(await headers())}`);
      const parsed = opts.schema.safeParse(formToObject(formData));
      if (!parsed.success) {
        return { ok: false, code: "validation_failed", fieldErrors: fieldErrors(parsed.error), formError: "Please correct the highlighted fields.", values };
      }
      return withValues(await handler(parsed.data), values);
    } catch (err) {
      return actionError(err, values);
    }
  };
}

/** Every failed state echoes what was typed (secrets excepted), so nothing is lost. */
function withValues<T>(state: ActionState<T>, values: Record<string, string>): ActionState<T> {
  return state && !state.ok && !state.values ? { ...state, values } : state;
}

export function actionError(err: unknown, values: Record<string, string> = {}): ActionState<never> {
  // redirect() and notFound() work by throwing: let them through.
  if (err && typeof err === "object" && "digest" in err && typeof err.digest === "string" && /^NEXT_(REDIRECT|NOT_FOUND|HTTP_ERROR)/.test(err.digest)) {
    throw err;
  }
  if (err instanceof AppError) {
    return { ok: false, code: err.code, formError: err.message, fieldErrors: err.extra.fields as FieldErrors | undefined, values };
  }
  if (isDatabaseUnavailable(err)) {
    return { ok: false, code: "service_unavailable", formError: "The service is briefly unavailable. Nothing was changed; please try again.", values };
  }
  log.error("action.failed", { error: err instanceof Error ? err.stack : String(err) });
  return { ok: false, code: "internal", formError: "Something went wrong on our side. Nothing was changed; please try again.", values };
}
