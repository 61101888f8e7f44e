import { z } from "zod";

// One error vocabulary for the whole app. Domain functions in lib/ return
// `{ ok: false, code, message, ... }` for expected failures and throw AppError (or let bugs
// throw) otherwise. Route handlers turn both into RFC 9457 problem+json; server actions turn
// them into form state. The status for each code lives here, once.

export const ERROR_STATUS = {
  validation_failed: 400,
  idempotency_key_missing: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  payment_declined: 402,
  payment_action_required: 402, // 3-D Secure: the customer must confirm the payment with the bank first
  forbidden: 403,
  queue_required: 403, // the event's waiting room is active: join the queue for an admission pass
  not_found: 404,
  method_not_allowed: 405,
  seat_taken: 409,
  sold_out: 409,
  hold_expired: 409,
  reservation_locked: 409,
  reservation_closed: 409,
  sale_not_open: 409,
  stale_version: 409,
  email_taken: 409,
  idempotency_in_flight: 409,
  conflict: 409,
  cancellation_closed: 409, // the event's policy does not (or no longer) let the customer cancel
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  limit_exceeded: 422,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  payment_unavailable: 502,
  service_unavailable: 503,
  payment_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type FieldErrors = Record<string, string[]>;

/** A refunded-or-not note on a failed payment: what happened to the money. */
type MoneyNote = { refunded: boolean; amountMinor?: number; currency?: string };

/**
 * What each code carries besides its message and field errors. A code not listed carries nothing
 * else. These members reach REST clients as problem+json members (see lib/api/schemas.ts), so
 * they are part of the API: add, never rename.
 */
export type FailureDetails = {
  seat_taken: { takenSeatIds: number[] };
  sold_out: { available: number };
  limit_exceeded: { limit: number; held?: number; perCustomer?: boolean };
  stale_version: { currentVersion: number };
  conflict: { available?: number };
  reservation_locked: { reservationId?: string };
  reservation_closed: Partial<MoneyNote> & { reference?: string };
  hold_expired: MoneyNote;
  internal: Partial<MoneyNote>;
  payment_declined: { declineCode: string; reservationId: string; expiresAt?: string };
  payment_action_required: { nextAction: { url: string | null; clientSecret?: string }; reservationId: string };
  queue_required: { reason: string; queueUrl: string; joinUrl: string };
  idempotency_in_flight: { retryAfter: number };
  payment_timeout: { retryAfter: number };
  payment_unavailable: { retryAfter: number };
  rate_limited: { retryAfter: number };
  service_unavailable: { retryAfter?: number; visitorToken?: string };
};

/** An expected failure of a domain function, typed per code: narrowing on `code` types its details. */
export type Failure<C extends ErrorCode = ErrorCode> = C extends ErrorCode
  ? { ok: false; code: C; message: string; fields?: FieldErrors } & (C extends keyof FailureDetails ? FailureDetails[C] : object)
  : never;

type Extra<C extends ErrorCode> = { fields?: FieldErrors } & (C extends keyof FailureDetails ? FailureDetails[C] : object);

/** Builds a Failure; codes with required details (FailureDetails) must be given them. */
export function fail<C extends ErrorCode>(code: C, message: string, ...extra: object extends Extra<C> ? [Extra<C>?] : [Extra<C>]): Failure<C> {
  return { ok: false, code, message, ...(extra[0] ?? {}) } as Failure<C>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.extra = extra;
    this.headers = headers;
  }

  /** A Failure (or one with more members, e.g. a stored answer's) as an error; its details become problem members. */
  static from(failure: { code: ErrorCode; message: string }, headers: Record<string, string> = {}): AppError {
    const { code, message, ...rest } = failure;
    const extra: Record<string, unknown> = { ...rest };
    delete extra.ok;
    return new AppError(code, message, extra, headers);
  }
}

/** The success, or the failure thrown as an AppError (route handlers answer it as a problem; scripts stop). */
export function orThrow<T extends { ok: true }>(result: T | Failure): T {
  if (result.ok) return result;
  throw AppError.from(result);
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  validation_failed: "Your request has invalid fields",
  unauthorized: "Sign in required",
  forbidden: "Not allowed",
  queue_required: "Join the queue first",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  rate_limited: "Too many requests",
  service_unavailable: "Temporarily unavailable",
  internal: "Something went wrong",
};

export function problemBody(err: AppError, instance?: string) {
  return {
    type: `https://tessera.dev/problems/${err.code.replace(/_/g, "-")}`,
    title: TITLES[err.code] ?? err.message,
    status: err.status,
    code: err.code,
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...err.extra,
  };
}

export function problemResponse(err: AppError, instance?: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problemBody(err, instance)), {
    status: err.status,
    headers: { "content-type": "application/problem+json", ...err.headers, ...headers },
  });
}

/**
 * zod issues → { "field.path": ["message", …] }. A failed union reports the fields of the branch
 * that came closest (fewest issues), so a client still learns which field was wrong; unknown
 * fields are reported under their own names.
 */
export function fieldErrors(error: z.ZodError): FieldErrors {
  // A Map, not an object: client-chosen keys such as "valueOf" or "__proto__" must stay data.
  const out = new Map<string, string[]>();
  const push = (key: string, message: string) => {
    const list = out.get(key);
    if (list) list.push(message);
    else out.set(key, [message]);
  };
  const add = (issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]) => {
    for (const issue of issues) {
      const path = [...prefix, ...issue.path];
      if (issue.code === "invalid_union" && issue.errors.length > 0) {
        const closest = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
        if (closest.length > 0) {
          add(closest, path);
          continue;
        }
      }
      if (issue.code === "unrecognized_keys") {
        // Name each unknown field, so the client sees exactly what to remove.
        for (const k of issue.keys) push([...path, k].map(String).join("."), "Unknown field");
        continue;
      }
      push(path.length ? path.map(String).join(".") : "_", issue.message);
    }
  };
  add(error.issues, []);
  return Object.fromEntries(out);
}

export function validationError(error: z.ZodError, where = "body"): AppError {
  const fields = fieldErrors(error);
  const summary = Object.entries(fields)
    .slice(0, 3)
    .map(([k, v]) => `${k}: ${v[0]}`)
    .join("; ");
  return new AppError("validation_failed", `Invalid ${where}: ${summary}`, { fields });
}

/** Parse or throw a 400 with field-level reasons. */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, where = "body"): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw validationError(r.error, where);
  return r.data;
}

/** Postgres or network failures that mean "the database is away", not "the request is wrong". */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // Drizzle wraps driver errors ("Failed query: …") and keeps the driver's error as `cause`.
  if (err.cause instanceof Error && isDatabaseUnavailable(err.cause)) return true;
  const code = (err as { code?: string }).code ?? "";
  return (
    [
      "ECONNREFUSED",
      "ECONNRESET",
      "EPIPE",
      "ENOTCONN",
      "ETIMEDOUT",
      "EHOSTUNREACH",
      "ENETUNREACH",
      "EAI_AGAIN",
      "CONNECT_TIMEOUT",
      "CONNECTION_CLOSED",
      "CONNECTION_ENDED",
      "CONNECTION_DESTROYED",
      "57P01",
      "57P02",
      "57P03",
      "53300",
    ].includes(code) ||
    code.startsWith("08") || // SQLSTATE class 08: connection exception
    /connect ECONNREFUSED|Connection terminated|the database system is (starting up|shutting down)/.test(err.message)
  );
}

/** The driver's error under Drizzle's "Failed query" wrapper: its code and message. */
export function describeCause(err: unknown): string | undefined {
  const cause = err instanceof Error ? err.cause : undefined;
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: string }).code;
  return `${code ? `${code}: ` : ""}${cause.message}`;
}
