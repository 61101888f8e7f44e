import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { runMigrations } from "@/db/migrate";
import { freePort, startPostgres, startRedis, waitForPort, type LocalPostgres, type LocalRedis } from "@/lib/dev/services";
import { postmasterPid } from "./cpu";

// The system under test: a throwaway PostgreSQL and redis-server, and `next start` processes.

export const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const launcher = path.join(root, "server/start.mjs");
// App processes: `npm start`'s launcher with one worker per core (BENCH_APP_WORKERS to change).
export const APP_WORKERS = Number(process.env.BENCH_APP_WORKERS ?? os.cpus().length);
export const BENCH_SECRETS = { AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789", CRON_SECRET: "bench-cron-secret-0123456789" };

const PG_STATS = process.env.BENCH_PG_STATS === "1";
// How the app processes reach PostgreSQL: "tcp" (loopback, like a database on another host) or
// "unix" (a Unix socket, how a database on the same host is best reached).
export const PG_TRANSPORT = process.env.BENCH_PG_TRANSPORT === "unix" ? "unix" : "tcp";

async function withSql<T>(url: string, fn: (q: postgres.Sql) => Promise<T>): Promise<T> {
  const q = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(q);
  } finally {
    await q.end();
  }
}

export type App = { url: string; child: ChildProcess; pid: number; workers: number; stop: () => Promise<void> };

/** Newest modification time of the app's sources (what `next build` compiles). */
function newestSource(): number {
  let newest = 0;
  const walk = (p: string) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) for (const f of fs.readdirSync(p)) walk(path.join(p, f));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ["app", "lib", "components", "db", "middleware.ts", "instrumentation.ts", "next.config.ts", "package-lock.json"]) walk(path.join(root, p));
  return newest;
}

export function ensureBuild(log: (m: string) => void) {
  // NEXT_DIST_DIR (next.config.ts) lets parallel builds use separate folders; build and start inherit it.
  // A build older than any source file is rebuilt: measuring yesterday's code would mislead.
  const buildId = fs.statSync(path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"), { throwIfNoEntry: false });
  if (buildId && buildId.mtimeMs > newestSource()) return;
  log(buildId ? "sources changed since the last build: rebuilding (next build)…" : "building the app (next build)…");
  const r = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) throw new Error("next build failed");
}

export class Stack {
  pg!: LocalPostgres;
  redis: LocalRedis | null = null;
  redisPort = 0;
  apps: App[] = [];
  private dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-bench-"));
  /** Scratch space of this run (removed by stop()), and the primary's data directory in it. */
  get workDir() {
    return this.dir;
  }
  get pgDataDir() {
    return path.join(this.dir, "pg");
  }

  async start() {
    fs.chmodSync(this.dir, 0o777);
    this.pg = await startPostgres({
      dataDir: path.join(this.dir, "pg"),
      port: await freePort(),
      persistent: false,
      fast: true,
      statements: PG_STATS,
      socketDir: this.dir,
      log: PG_STATS ? (line) => fs.appendFileSync(path.join(os.tmpdir(), "tessera-bench-pg.log"), line + "\n") : undefined,
    });
    await runMigrations(this.pg.url);
    if (PG_STATS) await withSql(this.pg.url, (q) => q`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    this.redisPort = await freePort();
    await this.startRedis();
    process.env.DATABASE_URL = this.pg.url;
    process.env.REDIS_URL = `redis://127.0.0.1:${this.redisPort}`;
    process.env.AUTH_SECRET = BENCH_SECRETS.AUTH_SECRET;
    process.env.DATABASE_POOL_MAX = "40";
  }

  async startRedis() {
    this.redis = await startRedis({ port: this.redisPort, dir: path.join(this.dir, "redis") });
  }

  /** BENCH_PG_STATS=1: the statements that took the database's time since the last call. */
  async statementReport(label: string): Promise<string | null> {
    if (!PG_STATS) return null;
    return withSql(this.pg.url, async (q) => {
      // Planning is tracked too (lib/dev/services.ts): a prepared statement whose plan is made
      // afresh on every execution (a custom plan) pays it every time.
      const rows = await q<{ calls: string; plans: string; total: number; mean: number; plan: number; rows: string; query: string }[]>`
        SELECT calls, plans, round(total_exec_time::numeric, 1)::float AS total, round(mean_exec_time::numeric, 3)::float AS mean,
          round((total_plan_time / greatest(calls, 1))::numeric, 3)::float AS plan, rows,
          regexp_replace(left(query, 160), '[[:space:]]+', ' ', 'g') AS query
        FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY total_exec_time + total_plan_time DESC LIMIT 25`;
      await q`SELECT pg_stat_statements_reset()`;
      return [
        `-- ${label}: top statements by total time (calls, times planned, total ms executing, mean ms executing, mean ms planning per call, rows, query)`,
        ...rows.map((r) => `${r.calls}\t${r.plans}\t${r.total}\t${r.mean}\t${r.plan}\t${r.rows}\t${r.query}`),
      ].join("\n");
    });
  }

  async stopRedis() {
    await this.redis?.stop();
    this.redis = null;
  }

  /** The PostgreSQL server's processes (postmaster and backends), for CPU accounting. */
  postmasterPid(): number | null {
    return postmasterPid(path.join(this.dir, "pg"));
  }

  redisPid(): number | null {
    return this.redis?.process.pid ?? null;
  }

  /** `workers`: 0 = a single `next start` process; otherwise the launcher with that many workers. */
  async startApp(extraEnv: Record<string, string> = {}, workers = APP_WORKERS): Promise<App> {
    const port = await freePort();
    // Profiling: BENCH_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the app processes only.
    const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const command = workers > 0 ? [launcher] : [nextBin, "start"];
    const child = spawn(process.execPath, [...nodeArgs, ...command, "-p", String(port), "-H", "127.0.0.1"], {
      cwd: root,
      env: {
        ...process.env,
        ...BENCH_SECRETS,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: PG_TRANSPORT === "unix" ? this.pg.socketUrl! : this.pg.url,
        REDIS_URL: `redis://127.0.0.1:${this.redisPort}`,
        DATABASE_POOL_MAX: process.env.BENCH_APP_POOL ?? "20",
        AUTH_TRUST_HOST: "true",
        TESSERA_ALLOW_MOCK_PAYMENTS: "1", // production refuses the mock provider otherwise
        // The bench's simulated customers hold and confirm many times a minute on purpose.
        RATE_LIMIT_RESERVATION: "1000000/60",
        RATE_LIMIT_CONFIRM: "1000000/60",
        RATE_LIMIT_API: "1000000/60",
        RATE_LIMIT_SEAT_MAP: "1000000/60", // every simulated customer polls the map from 127.0.0.1
        RATE_LIMIT_QUEUE_JOIN: "1000000/60", // every simulated visitor comes from 127.0.0.1
        RATE_LIMIT_QUEUE_POLL: "1000000/60",
        RATE_LIMIT_ACTION: "1000000/60",
        WEB_CONCURRENCY: String(Math.max(1, workers)),
        ...extraEnv,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    await waitForPort(port, 60_000).catch((e) => {
      throw new Error(`${e.message}\n${stderr}`);
    });
    const app: App = {
      url: `http://127.0.0.1:${port}`,
      child,
      pid: child.pid!,
      workers: Math.max(1, workers),
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    };
    // Every worker ready (each answers once its app is loaded); warm the routes a little.
    for (let i = 0; i < 20 * app.workers; i++) await fetch(`${app.url}/api/ping`).catch(() => {});
    this.apps.push(app);
    return app;
  }

  /** Replaces the app processes with new ones started with `extraEnv` (e.g. provider latency). */
  async restartApp(extraEnv: Record<string, string> = {}, workers = APP_WORKERS): Promise<App> {
    await this.stopApps();
    return this.startApp(extraEnv, workers);
  }

  async stopApps() {
    await Promise.all(this.apps.map((a) => a.stop()));
    this.apps = [];
  }

  async stop() {
    await this.stopApps();
    await this.stopRedis();
    await this.pg?.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
