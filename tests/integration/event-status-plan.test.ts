import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { createTestEvent, seats } from "@/tests/helpers/fixtures";

// The event-status rule ("can any place still be taken?", lib/inventory/event-status.ts) runs inside
// every booking statement and for every event in the cron tick. Its cost must not grow with the
// other events in the database: for a nearly sold-out event beside larger ones it reads a few
// index pages (drizzle/0008_event_takeable_place.sql). The control asks one half of the same
// question (any expired hold? there is none) with index scans turned off, the plan a missing or
// unusable index leaves: it reads every other event's rows, so this test is known to be able to fail.

/** Pages the query's execution touched (the fewest of a few runs: the first may also read catalogs). */
const buffersOf = async (query: ReturnType<typeof sql>, withoutIndexes = false) =>
  db().transaction(async (tx) => {
    if (withoutIndexes) await tx.execute(sql`SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexonlyscan = off`);
    let fewest = Infinity;
    for (let i = 0; i < 4; i++) {
      const rows = await tx.execute<{ "QUERY PLAN": string }>(sql`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${query}`);
      const first = rows.map((r) => r["QUERY PLAN"]).find((l) => /Buffers: shared/.test(l)) ?? "";
      fewest = Math.min(
        fewest,
        [...first.matchAll(/(hit|read)=(\d+)/g)].reduce((n, m) => n + Number(m[2]), 0),
      );
    }
    return fewest;
  });

describe("event status refresh", () => {
  it("reads the event's own places through an index, whatever the other events hold", async () => {
    for (let i = 0; i < 4; i++) await createTestEvent({ sections: [seats(50, 100)] });
    const { event } = await createTestEvent({ sections: [seats(20, 100)] });
    // Everything but one place off sale: the event is nearly sold out.
    await db().execute(sql`
      UPDATE inventory SET status = 'BLOCKED', block_reason = 'test', blocked_at = now()
      WHERE event_id = ${event.id} AND seq > 0`);
    await db().execute(sql`ANALYZE inventory`);

    const viaRule = await buffersOf(sql`SELECT event_has_takeable_place(${event.id}::uuid, NULL)`);
    const plain = await buffersOf(
      sql`SELECT EXISTS (SELECT 1 FROM inventory i WHERE i.event_id = ${event.id} AND i.status = 'HELD' AND i.hold_expires_at <= now())`,
      true,
    );
    console.log(`EVENT_STATUS_BUFFERS ${JSON.stringify({ viaRule, plain })}`);
    expect(viaRule).toBeLessThan(30);
    expect(plain, "control: without index scans it reads other events' rows").toBeGreaterThan(10 * viaRule);

    // PL/pgSQL, not SQL: PostgreSQL keeps a PL/pgSQL function's plans for the connection's life,
    // where a SQL function that cannot be inlined is planned again on every call (0026's comment).
    const [fn] = await db().execute<{ lang: string }>(sql`
      SELECT l.lanname AS lang FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.proname = 'event_has_takeable_place'`);
    expect(fn.lang).toBe("plpgsql");

    // And the rule still says the right thing: on sale with one place left, sold out without it.
    expect(await refreshEventStatuses(db(), event.id)).toEqual([]);
    await db().execute(sql`UPDATE inventory SET status = 'BLOCKED', block_reason = 'test', blocked_at = now() WHERE event_id = ${event.id} AND seq = 0`);
    expect(await refreshEventStatuses(db(), event.id)).toEqual([{ id: event.id, status: "SOLD_OUT" }]);
  });
});
