import "server-only";
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { env } from "@/lib/env";

// Idempotency keys, Stripe's semantics (see docs/invariants.md, I3), one row per (user, scope, key):
//  - first request: row IN_FLIGHT with a lease (locked_until); it runs and stores its response;
//  - same key + same body later: the stored response, byte for byte;
//  - same key + different body: refused (422);
//  - same key while the first is still running: we WAIT (polling) up to one lease and answer
//    with the first request's stored response, so duplicates all see the same result; only if
//    it is still running after that do we answer idempotency_in_flight (409);
//  - a request that crashed leaves IN_FLIGHT behind: once its lease has passed (database clock)
//    the next request with the same key and body takes over and resumes the saga;
//  - keys live 24 hours (expires_at); an expired key may be used afresh.
// Transient outcomes (payment still unknown, another payment running) are not stored: the lease
// is dropped so the client's retry with the same key resumes at once.

export type Claim =
  | { kind: "acquired"; token: string; fresh: boolean } // token: our locked_until, a fence for release(); fresh: the key was never used before
  | { kind: "invalid_caller" } // the user is gone, or signed out everywhere since the token or session was issued
  | { kind: "replay"; status: number; body: string }
  | { kind: "reused" }
  | { kind: "in_flight" };

const KEEP = "24 hours";

export function leaseMs(): number {
  return 2 * env().PAYMENT_TIMEOUT_MS + 2000;
}

let hashKey: Buffer | undefined;

/** HMAC of the canonical request: card numbers never sit in the table, not even as a plain hash. */
export function requestHash(request: unknown): string {
  hashKey ??= Buffer.from(crypto.hkdfSync("sha256", env().AUTH_SECRET!, "tessera", "idempotency-v1", 32));
  return crypto.createHmac("sha256", hashKey).update(canonical(request)).digest("hex");
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Claims the key for this request. With `sessionVersion`, the same statement checks the caller
 * (the user at that session version, as lib/auth/actor.ts would), so a checkout need not spend
 * a round trip on it: claims that no longer hold claim nothing and answer invalid_caller.
 */
export async function claimKey(userId: string, scope: string, key: string, hash: string, sessionVersion?: number): Promise<Claim> {
  const lease = leaseMs();
  const waitUntil = Date.now() + lease + 1000; // a local wait budget, not an expiry comparison
  let pause = 25;
  for (;;) {
    // xmax = 0 on the returned row: it was inserted (the key is new), not taken over.
    const [won] = await db().execute<{ caller: boolean; token: string | null; fresh: boolean | null }>(sql`
      WITH caller AS (
        SELECT u.id FROM users u WHERE u.id = ${userId}::uuid AND (${sessionVersion ?? null}::int IS NULL OR u.session_version = ${sessionVersion ?? null}::int)
      ),
      won AS (
        INSERT INTO idempotency_keys (user_id, scope, key, request_hash, state, locked_until, expires_at)
        SELECT caller.id, ${scope}::text, ${key}::text, ${hash}::text, 'IN_FLIGHT', now() + ${lease}::int * interval '1 millisecond', now() + interval '${sql.raw(KEEP)}'
        FROM caller
        ON CONFLICT (user_id, scope, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, state = 'IN_FLIGHT', locked_until = EXCLUDED.locked_until,
              response_status = NULL, response_body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
          WHERE idempotency_keys.expires_at <= now()
             OR (idempotency_keys.state = 'IN_FLIGHT' AND idempotency_keys.locked_until <= now()
                 AND idempotency_keys.request_hash = EXCLUDED.request_hash)
        RETURNING locked_until::text AS token, (xmax = 0) AS fresh
      )
      SELECT EXISTS (SELECT 1 FROM caller) AS caller, (SELECT token FROM won) AS token, (SELECT fresh FROM won) AS fresh`);
    if (!won.caller) return { kind: "invalid_caller" };
    if (won.token) return { kind: "acquired", token: won.token, fresh: won.fresh === true };

    const [row] = await db().execute<{ request_hash: string; state: string; response_status: number | null; response_body: string | null }>(sql`
      SELECT request_hash, state, response_status, response_body FROM idempotency_keys
      WHERE user_id = ${userId} AND scope = ${scope} AND key = ${key}`);
    if (!row) continue; // purged between the two statements: try again
    if (row.request_hash !== hash) return { kind: "reused" };
    if (row.state === "DONE") return { kind: "replay", status: row.response_status!, body: row.response_body! };
    if (Date.now() > waitUntil) return { kind: "in_flight" };
    await sleep(pause);
    pause = Math.min(pause * 2, 250);
  }
}

/** Stores the final response; if another request finished first, returns what it stored. */
export async function finishKey(userId: string, scope: string, key: string, status: number, body: string): Promise<{ status: number; body: string }> {
  const [row] = await db().execute<{ response_status: number; response_body: string }>(sql`
    UPDATE idempotency_keys SET state = 'DONE', response_status = ${status}, response_body = ${body}, locked_until = now()
    WHERE user_id = ${userId} AND scope = ${scope} AND key = ${key} AND state = 'IN_FLIGHT'
    RETURNING response_status, response_body`);
  if (row) return { status: row.response_status, body: row.response_body };
  const [stored] = await db().execute<{ response_status: number | null; response_body: string | null }>(sql`
    SELECT response_status, response_body FROM idempotency_keys WHERE user_id = ${userId} AND scope = ${scope} AND key = ${key} AND state = 'DONE'`);
  return stored ? { status: stored.response_status!, body: stored.response_body! } : { status, body };
}

/** Drops our lease without storing anything, so a retry with the same key may take over at once. */
export async function releaseKey(userId: string, scope: string, key: string, token: string): Promise<void> {
  await db().execute(sql`
    UPDATE idempotency_keys SET locked_until = now()
    WHERE user_id = ${userId} AND scope = ${scope} AND key = ${key} AND state = 'IN_FLIGHT' AND locked_until = ${token}::timestamptz`);
}

/** Deletes keys past their 24 hours (the cron may call this). */
export async function purgeExpiredIdempotencyKeys(limit = 5000): Promise<number> {
  const rows = await db().execute(sql`
    DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT ${limit})
    RETURNING 1`);
  return rows.length;
}
