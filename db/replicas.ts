import type postgres from "postgres";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { db, onCloseDb, openDatabase, sqlClient, type Db } from "./index";

// Read replicas for reads that tolerate about a second of lag: the public event list, event
// pages, seat layouts and the live inventory snapshot (docs/deployment.md, "Read replicas").
// Holds, checkouts, admin pages and everything a user just wrote read the primary (`db()`).
//
// How far behind is a replica? Each process samples the primary's WAL insert position now and
// then (`pg_current_wal_insert_lsn()`, a cheap read) and asks each replica how far it has
// replayed. A replica that has replayed past a sample taken at time t holds everything committed
// before t, so it is at most (now - t) behind: the newest such sample bounds its lag. This needs
// no clock agreement between servers and no heartbeat writes, and an idle primary reads as no
// lag at all. A replica is used only while that bound, aged by the time since it was measured,
// stays within DATABASE_REPLICA_MAX_LAG_MS; one that fails or lags is skipped and the read goes
// to the primary. Samples are taken only while replica reads happen (no timers), so a process
// with little traffic reads the primary, where there is room to spare anyway.

type Replica = { label: string; sql: postgres.Sql; db: Db; lagMs: number | null; measuredAt: number; down: boolean };
export type Sample = { at: number; lsn: bigint };

const g = globalThis as unknown as { tesseraReplicas?: Replica[] };
let samples: Sample[] = [];
let lastProbe = 0;
let probing: Promise<void> | null = null;
let turn = 0;

function replicas(): Replica[] {
  if (!g.tesseraReplicas) {
    g.tesseraReplicas = env().DATABASE_REPLICA_URLS.map((url) => {
      const { sql, db } = openDatabase(url, { connectTimeoutS: 1 });
      return { label: describe(url), sql, db, lagMs: null, measuredAt: 0, down: false };
    });
    onCloseDb(closeReplicas);
  }
  return g.tesseraReplicas;
}

function describe(url: string) {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
}

export function parseLsn(text: string): bigint {
  const [hi, lo] = text.split("/");
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/** At most how far behind (ms) a replica that has replayed up to `replay` is at `now`; Infinity if older than every sample. */
export function lagBound(history: Sample[], replay: bigint, now: number): number {
  let newest: Sample | undefined;
  for (const s of history) if (s.lsn <= replay && (!newest || s.at > newest.at)) newest = s;
  return newest ? Math.max(0, now - newest.at) : Infinity;
}

/** A replica current enough for a lag-tolerant read, or null (read the primary). */
function pick(): Replica | null {
  const all = replicas();
  if (all.length === 0) return null;
  const now = Date.now();
  const maxLag = env().DATABASE_REPLICA_MAX_LAG_MS;
  if (now - lastProbe >= Math.max(50, maxLag / 4)) void probe();
  const fit = all.filter((r) => !r.down && r.lagMs !== null && r.lagMs + (now - r.measuredAt) <= maxLag);
  if (fit.length === 0) return null;
  return fit[turn++ % fit.length];
}

/**
 * Runs a read that tolerates DATABASE_REPLICA_MAX_LAG_MS of staleness on a replica, or on the
 * primary when none is current enough. `orPrimaryIf`: an answer that may only mean the replica
 * has not seen a recent write yet (typically "not found") is asked of the primary again.
 */
export async function replicaRead<T>(what: string, read: (d: Db) => Promise<T>, opts: { orPrimaryIf?: (result: T) => boolean } = {}): Promise<T> {
  const r = pick();
  if (!r) return read(db());
  let result: T;
  try {
    result = await read(r.db);
  } catch (err) {
    // Down, restarting, or a query cancelled by a recovery conflict: the primary answers instead.
    markDown(r, what, err);
    return read(db());
  }
  return opts.orPrimaryIf?.(result) ? read(db()) : result;
}

function markDown(r: Replica, what: string, err: unknown) {
  if (!r.down)
    log.warn("db.replica_skipped", { replica: r.label, what, reason: err instanceof Error ? err.message : String(err), message: "reading the primary" });
  r.down = true;
}

const PROBE_TIMEOUT_MS = 1000;

function probe(): Promise<void> {
  probing ??= measure().finally(() => {
    probing = null;
  });
  return probing;
}

async function measure() {
  lastProbe = Date.now();
  const maxLag = env().DATABASE_REPLICA_MAX_LAG_MS;
  const at = Date.now();
  try {
    const [{ lsn }] = await sqlClient()<{ lsn: string }[]>`SELECT pg_current_wal_insert_lsn()::text AS lsn`;
    samples.push({ at, lsn: parseLsn(lsn) });
  } catch {
    return; // the primary is away: measurements age and replicas drop out with them
  }
  samples = samples.filter((s, i) => i === samples.length - 1 || at - s.at <= maxLag + 2000);
  await Promise.all(replicas().map((r) => measureOne(r)));
}

async function measureOne(r: Replica) {
  let timer: NodeJS.Timeout | undefined;
  try {
    const ask = r.sql<{ standby: boolean; replay: string | null }[]>`SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replay`;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    });
    const [row] = await Promise.race([ask, timeout]);
    const now = Date.now();
    let lagMs = Infinity;
    if (!row.standby)
      lagMs = 0; // promoted: it is a primary now, current by definition
    else if (row.replay) lagMs = lagBound(samples, parseLsn(row.replay), now);
    if (r.down) log.info("db.replica_back", { replica: r.label, lagMs });
    Object.assign(r, { lagMs, measuredAt: now, down: false });
  } catch (err) {
    markDown(r, "lag probe", err);
  } finally {
    clearTimeout(timer);
  }
}

export type ReplicaStatus = { replica: string; status: "up" | "lagging" | "down" | "unknown"; lagMs: number | null };

/** What this process knows of its replicas (measured on the spot when asked with `fresh`). */
export async function replicaStatus(fresh = false): Promise<ReplicaStatus[]> {
  if (fresh && replicas().length > 0) await probe();
  const maxLag = env().DATABASE_REPLICA_MAX_LAG_MS;
  return replicas().map((r) => ({
    replica: r.label,
    status: r.down ? "down" : r.lagMs === null ? "unknown" : r.lagMs > maxLag ? "lagging" : "up",
    lagMs: r.lagMs === null || !Number.isFinite(r.lagMs) ? null : Math.round(r.lagMs),
  }));
}

export async function closeReplicas() {
  const all = g.tesseraReplicas ?? [];
  g.tesseraReplicas = undefined;
  samples = [];
  await Promise.all(all.map((r) => r.sql.end({ timeout: 5 })));
}
