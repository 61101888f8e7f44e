import { sql } from "drizzle-orm";
import { db } from "@/db";
import { log } from "@/lib/log";

// After an event's places are written in bulk, PostgreSQL's statistics still describe the table
// without them until autovacuum gets round to it (minutes). Meanwhile the planner believes the
// new event has ~1 place and answers a hold's "these two seats, if free" with a scan of every
// place of the event (measured in the bench: 2.4 ms and ~290 buffers per hold on a 20,000-seat
// event, instead of two primary-key lookups). Refreshing the statistics at once avoids that.
// ANALYZE reads a fixed sample (~30,000 rows), so it stays cheap on a large table.

export async function refreshInventoryStats() {
  try {
    await db().execute(sql`ANALYZE inventory`);
  } catch (err) {
    log.warn("events.analyze_failed", { error: (err as Error).message }); // autovacuum will do it later
  }
}
