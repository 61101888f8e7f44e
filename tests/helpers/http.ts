import crypto from "node:crypto";
import { card } from "./payments";
import type { Booking, OrProblem, Problem, Reservation } from "./responses";

// HTTP as a client sees it, for fault, shutdown, soak and security tests: what came back
// (status, body, how long it took), never a throw on a refusal or a dropped connection.
// (REST suites that want a session-carrying client use ApiClient in api.ts.)

/** An answer as a client saw it; `body` is the parsed JSON (a problem unless the caller names `T`). */
export type Answer<T = Problem> = { status: number; body: T; text: string; ms: number; contentType: string; headers: Headers; error?: string };

/** One HTTP call as a client sees it; status 0 with `error` when no answer came (refused, reset, timed out). */
export async function call<T = Problem>(
  url: string,
  init: { method?: string; token?: string | null; json?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers["content-type"] ??= "application/json";
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: init.method ?? (init.json === undefined ? "GET" : "POST"),
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      redirect: "manual",
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    const contentType = res.headers.get("content-type") ?? "";
    let body: unknown = text;
    if (/json/.test(contentType) && text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: res.status, body: body as T, text, ms: performance.now() - started, contentType, headers: res.headers };
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : "";
    return { status: 0, body: null as T, text: "", ms: performance.now() - started, contentType: "", headers: new Headers(), error: `${String(err)}${cause}` };
  }
}

/** Holds seats (or GA places) and pays for them over REST: the whole purchase as a client makes it. */
export async function buyOver(
  base: string,
  token: string,
  eventId: string,
  hold: { seatIds: number[] } | { sectionId: string; quantity: number },
  opts: { card?: ReturnType<typeof card>; key?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ hold: Answer<OrProblem<Reservation>>; pay?: Answer<OrProblem<Booking>>; key: string }> {
  const key = opts.key ?? crypto.randomUUID();
  const h = await call<OrProblem<Reservation>>(`${base}/api/v1/events/${eventId}/reservations`, { token, json: hold, timeoutMs: opts.timeoutMs });
  if (h.status !== 201) return { hold: h, key };
  const pay = await call<OrProblem<Booking>>(`${base}/api/v1/bookings/confirm`, {
    token,
    json: { reservationId: h.body.id, payment: { method: "mock", card: opts.card ?? card() } },
    headers: { "idempotency-key": key, ...opts.headers },
    timeoutMs: opts.timeoutMs,
  });
  return { hold: h, pay, key };
}
