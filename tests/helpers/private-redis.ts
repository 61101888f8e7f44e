import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import IORedis from "ioredis";
import { freePort, startRedis, type LocalRedis } from "@/lib/dev/services";

// A private redis-server for fault tests (stop, restart empty, flush) so other test files that
// share the global Redis are never disturbed. It restarts on the same port, so app processes
// pointed at it reconnect by themselves.

export type PrivateRedis = {
  url: string;
  port: number;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  flush: () => Promise<void>;
  keys: (pattern: string) => Promise<string[]>;
  close: () => Promise<void>;
};

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-private-redis-"));
  let server: LocalRedis | null = await startRedis({ port, dir });
  const url = server.url;
  const withClient = async <T>(fn: (c: IORedis) => Promise<T>) => {
    const c = new IORedis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await c.connect();
      return await fn(c);
    } finally {
      c.disconnect();
    }
  };
  return {
    url,
    port,
    stop: async () => {
      await server?.stop();
      server = null;
    },
    start: async () => {
      if (!server) server = await startRedis({ port, dir }); // persistence is off: it comes back empty
    },
    flush: () => withClient((c) => c.flushall()).then(() => undefined),
    keys: (pattern) => withClient((c) => c.keys(pattern)),
    close: async () => {
      await server?.stop();
      server = null;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
