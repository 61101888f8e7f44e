import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { isoTs } from "@/lib/sql";

// The database's "now": the clock every hold, payment deadline and sale window is judged by.
// Pages and actions hand it to the browser's countdowns (components/shop/countdown.tsx) as the
// server time; an app instance's own clock may drift, and a countdown measured from it would
// show a live hold as expired (and refresh the page in a loop) on that instance.
export async function databaseNow(): Promise<string> {
  const [row] = await db().execute<{ now: string }>(sql`SELECT ${isoTs(sql`clock_timestamp()`)} AS now`);
  return row.now;
}
