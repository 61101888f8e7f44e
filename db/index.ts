import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";
import { preparing } from "./prepared";
import * as schema from "./schema";

// One pool per process (and one per read replica, db/replicas.ts). In development Next
// re-evaluates modules on every change, so pools are kept on globalThis to avoid opening new
// ones each time.

/**
 * libpq's way to reach a database on the same host through its Unix socket, which postgres.js
 * does not read from a URL: postgres://user:pass@localhost/tessera?host=/var/run/postgresql.
 * Cheaper than TCP loopback (see bench/README.md).
 */
export function connectionOptions(databaseUrl: string): { url: string; path?: string } {
  const u = new URL(databaseUrl);
  const dir = u.searchParams.get("host");
  if (!dir?.startsWith("/")) return { url: databaseUrl };
  u.searchParams.delete("host");
  return { url: u.toString(), path: `${dir}/.s.PGSQL.${u.port || 5432}` };
}

/** A pool and its Drizzle handle for one server: the primary (DATABASE_URL) or a read replica. */
export function openDatabase(databaseUrl: string, opts: { connectTimeoutS?: number } = {}): { sql: postgres.Sql; db: Db } {
  const e = env();
  const { url, path } = connectionOptions(databaseUrl);
  const sql = postgres(url, {
    ...(path ? { path } : {}),
    max: e.DATABASE_POOL_MAX,
    connect_timeout: opts.connectTimeoutS ?? e.DATABASE_CONNECT_TIMEOUT_S,
    idle_timeout: 30,
    // After failed connects the driver waits `backoff(retries)` seconds before the next attempt,
    // and queries queue behind that wait. Its default grows to 20 s (shared by the whole pool), so
    // with the database away requests hung instead of failing fast with 503. Keep it short.
    backoff: (retries: number) => Math.min(0.1 * retries, 0.5),
    // Off behind a transaction-mode pooler: a statement prepared on one server connection would
    // be looked for on another (docs/deployment.md, "A pooler").
    prepare: e.DATABASE_PREPARED_STATEMENTS,
    onnotice: () => {},
  });
  // Statements with parameters run prepared: one round trip each instead of two (db/prepared.ts).
  const client = e.DATABASE_PREPARED_STATEMENTS ? preparing(sql) : sql;
  return { sql: client, db: drizzle(client, { schema }) };
}

export type Db = ReturnType<typeof drizzle<typeof schema>>;
const g = globalThis as unknown as { tesseraPrimary?: { sql: postgres.Sql; db: Db }; tesseraOnClose?: Set<() => Promise<void>> };

function primary() {
  g.tesseraPrimary ??= openDatabase(env().DATABASE_URL);
  return g.tesseraPrimary;
}

/** The primary's pool. */
export function sqlClient(): postgres.Sql {
  return primary().sql;
}

/** The primary: every write, and every read that must see the latest write (see db/replicas.ts for the others). */
export function db(): Db {
  return primary().db;
}

/** Something else to end with the pools (the replicas' pools register here). */
export function onCloseDb(fn: () => Promise<void>) {
  (g.tesseraOnClose ??= new Set()).add(fn);
}

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export async function closeDb() {
  const client = g.tesseraPrimary?.sql;
  g.tesseraPrimary = undefined;
  const others = [...(g.tesseraOnClose ?? [])];
  g.tesseraOnClose = undefined;
  await Promise.all([client?.end({ timeout: 5 }), ...others.map((fn) => fn())]);
}

export { schema };
