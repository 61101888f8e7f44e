import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";

// One client per process. In development Next re-evaluates modules on every change, so the
// client is kept on globalThis to avoid opening a new pool each time.

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

function createClient() {
  const e = env();
  const { url, path } = connectionOptions(e.DATABASE_URL);
  return postgres(url, {
    ...(path ? { path } : {}),
    max: e.DATABASE_POOL_MAX,
    connect_timeout: e.DATABASE_CONNECT_TIMEOUT_S,
    idle_timeout: 30,
    // After failed connects the driver waits `backoff(retries)` seconds before the next attempt,
    // and queries queue behind that wait. Its default grows to 20 s (shared by the whole pool), so
    // with the database away requests hung instead of failing fast with 503. Keep it short.
    backoff: (retries: number) => Math.min(0.1 * retries, 0.5),
    onnotice: () => {},
  });
}

type Db = ReturnType<typeof drizzle<typeof schema>>;
const g = globalThis as unknown as { tesseraSql?: postgres.Sql; tesseraDb?: Db };

export function sqlClient(): postgres.Sql {
  g.tesseraSql ??= createClient();
  return g.tesseraSql;
}

export function db(): Db {
  g.tesseraDb ??= drizzle(sqlClient(), { schema });
  return g.tesseraDb;
}

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export async function closeDb() {
  const client = g.tesseraSql;
  g.tesseraSql = undefined;
  g.tesseraDb = undefined;
  await client?.end({ timeout: 5 });
}

export { schema };
