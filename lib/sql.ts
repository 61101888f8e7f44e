import { sql, type SQL } from "drizzle-orm";

// Small SQL fragments every raw statement shares, so each is written once.

/** A timestamptz as the exact ISO-8601 UTC string JavaScript prints (raw execute() returns text). */
export function isoTs(col: SQL): SQL {
  return sql`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The same to the second, for files people read (CSV exports). */
export function isoTsSeconds(col: SQL): SQL {
  return sql`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
}

/** A PostgreSQL bigint[] literal for `= ANY(${…}::bigint[])`; each id is cut to an integer. */
export function bigintArray(ids: number[]): string {
  return `{${ids.map((id) => Math.trunc(id)).join(",")}}`;
}
