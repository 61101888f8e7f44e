import { Agent, request } from "undici";
import type { Problem } from "@/tests/helpers/responses";

// A keep-alive HTTP client for simulated customers, and latency bookkeeping.

export const agent = new Agent({ connections: 1000, pipelining: 1, keepAliveTimeout: 30_000, connect: { timeout: 10_000 } });

/** An answer; `body` is the parsed JSON (a problem unless the caller names `T`). */
export type Reply<T = Problem> = { status: number; body: T; ms: number; bytes: number };

export async function call<T = Problem>(
  method: "GET" | "POST" | "DELETE",
  url: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const started = performance.now();
  const res = await request(url, {
    method,
    dispatcher: agent,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
      ...opts.headers,
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const text = await res.body.text();
  const ms = performance.now() - started;
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.statusCode, body: body as T, ms, bytes: Buffer.byteLength(text) };
}

export class Latencies {
  private values: number[] = [];
  add(ms: number) {
    this.values.push(ms);
  }
  get count() {
    return this.values.length;
  }
  percentile(p: number): number {
    if (this.values.length === 0) return 0;
    const sorted = [...this.values].sort((a, b) => a - b);
    const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
    return round(sorted[Math.max(0, i)]);
  }
  summary() {
    return { count: this.count, p50: this.percentile(50), p99: this.percentile(99), max: this.percentile(100) };
  }
}

export function round(n: number, digits = 1) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Runs `workers` async loops until each returns false or the deadline passes. */
export async function runWorkers(workers: number, deadlineMs: number, loop: (worker: number) => Promise<boolean>) {
  const deadline = Date.now() + deadlineMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (Date.now() < deadline) {
        if (!(await loop(w))) return;
      }
    }),
  );
  return Date.now() >= deadline;
}
