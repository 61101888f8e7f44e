import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runMigrations } from "@/db/migrate";
import { freePort, startPostgres, startRedis } from "@/lib/dev/services";
import { startRedisCluster } from "./redis-cluster";

// Vitest global setup. Under `npm test` (tests/run-all.ts) the services already run and their
// URLs arrive in the environment. Run alone (`npx vitest run tests/x.test.ts`), it brings up a
// throwaway PostgreSQL and redis-server itself and tears them down afterwards.
// TESSERA_TEST_REDIS=cluster also brings up a Redis Cluster and points the tests at it.
export default async function setup() {
  assertLoopback(process.env.DATABASE_URL);
  const cluster = process.env.TESSERA_TEST_REDIS === "cluster" && !process.env.REDIS_CLUSTER_NODES ? await startRedisCluster() : null;
  if (cluster) process.env.REDIS_CLUSTER_NODES = cluster.nodes;
  if (process.env.DATABASE_URL && process.env.REDIS_URL) return cluster ? () => cluster.stop() : undefined;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-vitest-"));
  fs.chmodSync(dir, 0o777);
  const pg = await startPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), persistent: false, fast: true });
  const redis = await startRedis({ port: await freePort(), dir: path.join(dir, "redis") });
  await runMigrations(pg.url);
  process.env.DATABASE_URL = pg.url;
  process.env.REDIS_URL = redis.url;
  return async () => {
    await cluster?.stop();
    await redis.stop();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

// Tests truncate and race against their database: never let them near a remote one.
function assertLoopback(url: string | undefined) {
  if (!url) return;
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run tests against a non-loopback database (${host})`);
  }
}
