import { sql, type SQL } from "drizzle-orm";

// Ids arrive from URLs and bodies; a malformed one must read as "not found", never reach
// Postgres as an invalid uuid (which would be a 500).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A timestamptz as the exact ISO-8601 UTC string JavaScript uses (raw execute() returns text). */
export function isoTs(col: SQL): SQL {
  return sql`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
