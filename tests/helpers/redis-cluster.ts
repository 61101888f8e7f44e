import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import IORedis from "ioredis";
import { freePort, redisServerPath, waitForPort } from "@/lib/dev/services";

// A real Redis Cluster for tests and the benchmark: redis-server processes in cluster mode on
// free loopback ports (persistence off), joined with `redis-cli --cluster create`. Three masters
// and one replica each by default, so killing a master is followed by a real failover. Each node
// keeps its nodes.conf in its own directory, so a killed node restarted on its port rejoins the
// cluster (as a replica of whoever took its place).

export type ClusterNode = { port: number; dir: string; process: ChildProcess | null };

export type RedisCluster = {
  /** REDIS_CLUSTER_NODES for the app: every node, comma-separated. */
  nodes: string;
  ports: number[];
  /** The port of the master currently serving `key`'s slot (asked of a live node). */
  masterFor: (key: string) => Promise<number>;
  /** Masters and their replicas as the cluster sees them now. */
  topology: () => Promise<{ port: number; role: "master" | "replica"; failed: boolean }[]>;
  /** SIGKILL a node (no goodbye to the cluster: its peers find out by timeout). */
  kill: (port: number) => Promise<void>;
  /** Starts a killed node again on its port; it rejoins from its nodes.conf. */
  restart: (port: number) => Promise<void>;
  /** Moving one slot between masters by hand, step by step, as a resharding does (MOVED/ASK on the way). */
  slot: {
    of: (key: string) => Promise<number>;
    /** The source answers ASK for keys it no longer has; the target accepts ASKING. */
    beginMigration: (slot: number, fromPort: number, toPort: number) => Promise<void>;
    /** Moves these keys (or every key of the slot) from source to target. */
    migrateKeys: (slot: number, fromPort: number, toPort: number, keys?: string[]) => Promise<void>;
    /** The target owns the slot: every master is told, the source now answers MOVED. */
    finishMigration: (slot: number, toPort: number) => Promise<void>;
  };
  /** Waits until every slot is served by a live master again and the cluster says ok. */
  waitHealthy: (timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
};

const bin = () => {
  const p = redisServerPath();
  if (!p) throw new Error("redis-server is not on PATH (apt-get install -y redis-server)");
  return p;
};

// Should the test process end without stopping its cluster (a crash, a timeout), its nodes end with it.
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of running) p.kill("SIGKILL");
});

function spawnNode(node: ClusterNode, nodeTimeoutMs: number) {
  fs.mkdirSync(node.dir, { recursive: true });
  // cluster-require-full-coverage no: while one master's slots wait for their replica to take
  // over, the other slots (other events) keep answering instead of the whole cluster refusing.
  const args = ["--port", String(node.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", node.dir];
  args.push("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", String(nodeTimeoutMs));
  args.push("--cluster-require-full-coverage", "no", "--protected-mode", "no");
  const child = spawn(bin(), args, { stdio: "ignore" });
  running.add(child);
  child.once("exit", () => running.delete(child));
  node.process = child;
}

async function ask<T>(port: number, fn: (c: IORedis) => Promise<T>): Promise<T> {
  const c = new IORedis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  c.on("error", () => {});
  try {
    await c.connect();
    return await fn(c);
  } finally {
    c.disconnect();
  }
}

type NodeLine = { id: string; port: number; flags: string[]; masterId: string; slots: [number, number][] };

function parseNodes(text: string): NodeLine[] {
  return text
    .trim()
    .split("\n")
    .map((line) => {
      const f = line.split(" ");
      const port = Number(f[1].split("@")[0].split(":")[1]);
      const slots = f.slice(8).flatMap((s): [number, number][] => {
        if (s.startsWith("[")) return []; // a slot being migrated
        const [a, b] = s.split("-").map(Number);
        return [[a, b ?? a]];
      });
      return { id: f[0], port, flags: f[2].split(","), masterId: f[3], slots };
    });
}

export async function startRedisCluster(opts: { masters?: number; replicas?: number; nodeTimeoutMs?: number } = {}): Promise<RedisCluster> {
  const masters = opts.masters ?? 3;
  const replicas = opts.replicas ?? 1;
  const nodeTimeoutMs = opts.nodeTimeoutMs ?? 1500;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-redis-cluster-"));
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < masters * (1 + replicas); i++) {
    const port = await freePort();
    nodes.push({ port, dir: path.join(root, String(port)), process: null });
  }
  const live = () => nodes.filter((n) => n.process && n.process.exitCode === null && n.process.signalCode === null);

  const stop = async () => {
    await Promise.all(
      nodes.map(
        (n) =>
          new Promise<void>((resolve) => {
            const p = n.process;
            if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once("exit", () => resolve());
            p.kill("SIGKILL"); // persistence is off: nothing to flush
          }),
      ),
    );
    fs.rmSync(root, { recursive: true, force: true });
  };

  const nodesSeenBy = async () => {
    for (const n of live()) {
      const text = await ask(n.port, (c) => c.call("CLUSTER", "NODES") as Promise<string>).catch(() => null);
      if (text) return parseNodes(text);
    }
    throw new Error("no live cluster node answered");
  };

  const waitHealthy = async (timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      const states = await Promise.all(live().map((n) => ask(n.port, (c) => c.call("CLUSTER", "INFO") as Promise<string>).catch(() => "")));
      const ok = states.every((s) => /cluster_state:ok/.test(s) && /cluster_slots_ok:16384/.test(s));
      if (ok) {
        // every live replica has finished its first sync, so it can take over when asked to
        const links = await Promise.all(live().map((n) => ask(n.port, (c) => c.info("replication")).catch(() => "")));
        if (links.every((l) => /role:master/.test(l) || /master_link_status:up/.test(l))) return;
        last = "replicas still syncing";
      } else last = states.join(" | ").replace(/\r?\n/g, " ").slice(0, 300);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the Redis cluster did not become healthy within ${timeoutMs} ms: ${last}`);
  };

  try {
    for (const n of nodes) spawnNode(n, nodeTimeoutMs);
    await Promise.all(nodes.map((n) => waitForPort(n.port, 10_000)));
    const created = spawnSync(
      "redis-cli",
      ["--cluster", "create", ...nodes.map((n) => `127.0.0.1:${n.port}`), "--cluster-replicas", String(replicas), "--cluster-yes"],
      { encoding: "utf8", timeout: 60_000 },
    );
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${created.stdout}\n${created.stderr}`);
    await waitHealthy();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    nodes: nodes.map((n) => `127.0.0.1:${n.port}`).join(","),
    ports: nodes.map((n) => n.port),
    masterFor: async (key) => {
      const slot = await ask(live()[0].port, (c) => c.call("CLUSTER", "KEYSLOT", key) as Promise<number>);
      const owner = (await nodesSeenBy()).find(
        (n) => n.flags.includes("master") && !n.flags.includes("fail") && n.slots.some(([a, b]) => slot >= a && slot <= b),
      );
      if (!owner) throw new Error(`no live master serves slot ${slot}`);
      return owner.port;
    },
    topology: async () =>
      (await nodesSeenBy()).map((n) => ({
        port: n.port,
        role: n.flags.includes("master") ? ("master" as const) : ("replica" as const),
        failed: n.flags.some((f) => f === "fail" || f === "fail?"),
      })),
    kill: async (port) => {
      const n = nodes.find((x) => x.port === port);
      const p = n?.process;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        p.once("exit", () => resolve());
        p.kill("SIGKILL");
      });
    },
    restart: async (port) => {
      const n = nodes.find((x) => x.port === port);
      if (!n) throw new Error(`no cluster node on ${port}`);
      if (n.process && n.process.exitCode === null && n.process.signalCode === null) return;
      spawnNode(n, nodeTimeoutMs);
      await waitForPort(port, 10_000);
    },
    slot: {
      of: (key) => ask(live()[0].port, (c) => c.call("CLUSTER", "KEYSLOT", key) as Promise<number>),
      beginMigration: async (slot, fromPort, toPort) => {
        const [fromId, toId] = await Promise.all([fromPort, toPort].map((p) => ask(p, (c) => c.call("CLUSTER", "MYID") as Promise<string>)));
        await ask(toPort, (c) => c.call("CLUSTER", "SETSLOT", slot, "IMPORTING", fromId));
        await ask(fromPort, (c) => c.call("CLUSTER", "SETSLOT", slot, "MIGRATING", toId));
      },
      migrateKeys: async (slot, fromPort, toPort, keys) => {
        const list = keys ?? ((await ask(fromPort, (c) => c.call("CLUSTER", "GETKEYSINSLOT", slot, 100_000))) as string[]);
        if (list.length === 0) return;
        await ask(fromPort, (c) => c.call("MIGRATE", "127.0.0.1", toPort, "", 0, 5000, "KEYS", ...list));
      },
      finishMigration: async (slot, toPort) => {
        const toId = await ask(toPort, (c) => c.call("CLUSTER", "MYID") as Promise<string>);
        const masters = (await nodesSeenBy()).filter((n) => n.flags.includes("master") && !n.flags.includes("fail"));
        // The target first (it bumps its epoch), then everyone else, as redis-cli does.
        await ask(toPort, (c) => c.call("CLUSTER", "SETSLOT", slot, "NODE", toId));
        for (const m of masters) if (m.port !== toPort) await ask(m.port, (c) => c.call("CLUSTER", "SETSLOT", slot, "NODE", toId));
      },
    },
    waitHealthy,
    stop,
  };
}
