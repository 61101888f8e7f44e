import crypto from "node:crypto";
import fs from "node:fs";
import type postgres from "postgres";

// Figures of an app process for soak and shutdown tests: its PostgreSQL connections (by
// application_name) and its resident memory.

/** A unique application_name for one app process (set PGAPPNAME in its env) so its connections can be counted. */
export function appName(label: string) {
  return `tessera-${label}-${crypto.randomBytes(3).toString("hex")}`;
}

/** Connections of one application_name in pg_stat_activity. */
export async function pgConnections(sql: postgres.Sql, application: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${application}`;
  return row.n;
}

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}
