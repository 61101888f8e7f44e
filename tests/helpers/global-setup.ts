import { startRedisCluster } from "./redis-cluster";
import { assertLoopback, startTestServices } from "./services";

// Vitest global setup of the suites that need services (see vitest.config.ts). Under `npm test`
// (tests/run-all.ts) the services already run and their URLs arrive in the environment. Run
// alone (`npx vitest run tests/x.test.ts`), it brings up a throwaway PostgreSQL and
// redis-server itself and tears them down afterwards.
// TESSERA_TEST_REDIS=cluster also brings up a Redis Cluster and points the tests at it.
export default async function setup() {
  assertLoopback(process.env.DATABASE_URL);
  assertLoopback(process.env.REDIS_URL);
  const cluster = process.env.TESSERA_TEST_REDIS === "cluster" && !process.env.REDIS_CLUSTER_NODES ? await startRedisCluster() : null;
  if (cluster) process.env.REDIS_CLUSTER_NODES = cluster.nodes;
  if (process.env.DATABASE_URL && process.env.REDIS_URL) return cluster ? () => cluster.stop() : undefined;

  const services = await startTestServices("vitest");
  process.env.DATABASE_URL = services.databaseUrl;
  process.env.REDIS_URL = services.redisUrl;
  return async () => {
    await cluster?.stop();
    await services.stop();
  };
}
