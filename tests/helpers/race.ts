import http from "node:http";
import type { User } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/tokens";
import { env } from "@/lib/env";
import { TEST_SECRETS } from "./app";
import type { Problem } from "./responses";

// Helpers for race tests: fire many HTTP requests at once, each on its own TCP connection,
// record each latency, and summarise throughput and percentiles as one JSON line.

export async function bearerTokens(users: User[]): Promise<string[]> {
  if (env().AUTH_SECRET !== TEST_SECRETS.AUTH_SECRET) throw new Error("call shareAppSecrets() before anything reads env()");
  return Promise.all(users.map(async (u) => (await issueApiToken(u)).token));
}

/** One answer of a burst; `body` is the parsed JSON (a problem unless the caller names `T`). */
export type Shot<T = Problem> = { i: number; status: number; body: T; ms: number; error?: string };

/**
 * One request on its own new TCP connection (no keep-alive, no pooling), answered as a fetch
 * Response. Unlike fetch there is no 10 s connect timeout: a burst of thousands of connections
 * overflows the server's accept backlog and the kernel retries the SYNs, which is slow, not a
 * failure of the server.
 */
export function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
        const status = res.statusCode ?? 0;
        resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers }));
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

export function post(url: string, token: string, body: unknown): Promise<Response> {
  return request(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function timed<T>(i: number, send: () => Promise<Response>): Promise<Shot<T>> {
  const t = performance.now();
  try {
    const res = await send();
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // keep the text
    }
    return { i, status: res.status, body: body as T, ms: performance.now() - t };
  } catch (err) {
    return { i, status: 0, body: null as T, ms: performance.now() - t, error: String(err) };
  }
}

/** Starts all n requests in the same tick and waits for every answer. */
export async function fireAll<T = Problem>(n: number, send: (i: number) => Promise<Response>): Promise<{ shots: Shot<T>[]; wallMs: number }> {
  const started = performance.now();
  const shots = await Promise.all(Array.from({ length: n }, (_, i) => timed<T>(i, () => send(i))));
  return { shots, wallMs: performance.now() - started };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export type RaceStats = {
  label: string;
  requests: number;
  succeeded: number;
  wallMs: number;
  requestsPerSec: number;
  holdsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
};

/** One JSON line per race: requests/s (all answers), holds/s (successful holds), latency p50/p99. */
export function report(label: string, latencies: number[], succeeded: number, wallMs: number): RaceStats {
  const round = (x: number) => Math.round(x * 10) / 10;
  const stats: RaceStats = {
    label,
    requests: latencies.length,
    succeeded,
    wallMs: round(wallMs),
    requestsPerSec: round((latencies.length / wallMs) * 1000),
    holdsPerSec: round((succeeded / wallMs) * 1000),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(Math.max(...latencies)),
  };
  console.log(`RACE ${JSON.stringify(stats)}`);
  return stats;
}

export function statusCounts(shots: { status: number }[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of shots) out[s.status] = (out[s.status] ?? 0) + 1;
  return out;
}
