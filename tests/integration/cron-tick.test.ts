import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as cronGET } from "@/app/api/cron/tick/route";
import { db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { runTick } from "@/lib/cron/tick";
import { env } from "@/lib/env";
import { holdSeats } from "@/lib/holds";
import { createTestEvent, createUser, createUsers, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { sleep } from "@/tests/helpers/wait";

// The cron tick only tidies (I5): it releases expired holds and advances event statuses, is
// idempotent, and is safe when several instances run it at the same moment. Other test files
// share the database, so assertions look at this file's own events, not at global counts.

async function eventState(eventId: string) {
  return db().execute<{ kind: string; id: string; status: string; touched: string }>(sql`
    SELECT 'reservation' AS kind, id::text, status::text, updated_at::text AS touched FROM reservations WHERE event_id = ${eventId}
    UNION ALL
    SELECT 'place', id::text, status::text, coalesce(reservation_id::text, '') FROM inventory WHERE event_id = ${eventId}
    ORDER BY 1, 2`);
}

async function statusOf(eventId: string) {
  const [{ status }] = await db().execute<{ status: string }>(sql`SELECT status FROM events WHERE id = ${eventId}`);
  return status;
}

describe("cron tick", () => {
  it("releases expired holds once, even when two ticks run at the same moment; a third changes nothing", async () => {
    const { event, sections } = await createTestEvent({ sections: [ga(700)], holdSeconds: 1 });
    const users = await createUsers(600);
    // 600 expired reservations: more than one batch, so both concurrent ticks find work.
    for (let i = 0; i < users.length; i += 100) {
      const batch = users.slice(i, i + 100).map((u) => holdSeats(toActor(u), event.id, { sectionId: sections[0].id, quantity: 1 }));
      for (const r of await Promise.all(batch)) expect(r.ok).toBe(true);
    }
    await sleep(1100);

    const [a, b] = await Promise.all([runTick(), runTick()]);
    expect(a.ok && b.ok).toBe(true);
    const released = (t: typeof a) => (t.steps[0].result as { reservations: number }).reservations;
    expect(released(a) + released(b)).toBeGreaterThanOrEqual(600);

    const [{ open, held, expired }] = await db().execute<{ open: number; held: number; expired: number }>(sql`
      SELECT count(*) FILTER (WHERE status = 'ACTIVE')::int AS open, count(*) FILTER (WHERE status = 'EXPIRED')::int AS expired,
        (SELECT count(*)::int FROM inventory WHERE event_id = ${event.id} AND status <> 'AVAILABLE') AS held
      FROM reservations WHERE event_id = ${event.id}`);
    expect({ open, held, expired }).toEqual({ open: 0, held: 0, expired: 600 });
    await expectIntegrity(event.id);

    const before = await eventState(event.id);
    const again = await runTick();
    expect(again.ok).toBe(true);
    expect(await eventState(event.id)).toEqual(before);
  });

  it("leaves reservations in payment to the checkout sweep", async () => {
    const { event, places } = await createTestEvent({ holdSeconds: 1 });
    const r = await holdSeats(toActor(await createUser()), event.id, { seatIds: [places[0].id] });
    if (!r.ok) throw new Error(r.message);
    // What the checkout does: lock for payment and extend the places' hold to the deadline.
    await db().execute(sql`UPDATE reservations SET status = 'PAYMENT', payment_deadline = now() + interval '5 minutes' WHERE id = ${r.reservation.id}`);
    await db().execute(sql`UPDATE inventory SET hold_expires_at = now() + interval '5 minutes' WHERE reservation_id = ${r.reservation.id}`);
    await sleep(1100);
    await runTick();
    const [row] = await db().execute<{ status: string; place: string }>(sql`
      SELECT r.status, i.status AS place FROM reservations r JOIN inventory i ON i.reservation_id = r.id WHERE r.id = ${r.reservation.id}`);
    expect(row).toEqual({ status: "PAYMENT", place: "HELD" });
    await expectIntegrity(event.id);
  });

  it("advances statuses: UPCOMING → ON_SALE → SOLD_OUT → ON_SALE (holds expired) → COMPLETED", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 2)], onSale: false, holdSeconds: 1 });
    expect(await statusOf(event.id)).toBe("UPCOMING");
    await db().execute(sql`UPDATE events SET sale_starts_at = now() - interval '1 second' WHERE id = ${event.id}`);
    await runTick();
    expect(await statusOf(event.id)).toBe("ON_SALE");

    const r = await holdSeats(toActor(await createUser()), event.id, { seatIds: places.map((p) => p.id) });
    expect(r.ok).toBe(true);
    await runTick();
    expect(await statusOf(event.id)).toBe("SOLD_OUT");

    await sleep(1100);
    await runTick();
    expect(await statusOf(event.id)).toBe("ON_SALE");

    await db().execute(sql`UPDATE events SET starts_at = now() - interval '3 hours', ends_at = now() - interval '1 minute',
      sale_starts_at = now() - interval '2 days', sale_ends_at = now() - interval '4 hours' WHERE id = ${event.id}`);
    await runTick();
    expect(await statusOf(event.id)).toBe("COMPLETED");
    await runTick();
    expect(await statusOf(event.id)).toBe("COMPLETED");
    await expectIntegrity(event.id);
  });

  it("the route answers only with the cron secret (401 problem+json otherwise)", async () => {
    const call = (authorization?: string) =>
      cronGET(new Request("http://localhost/api/cron/tick", { headers: authorization ? { authorization } : {} }), { params: Promise.resolve({}) });
    for (const header of [undefined, "Bearer wrong-secret", `Basic ${env().CRON_SECRET}`, `Bearer ${env().CRON_SECRET}x`]) {
      const res = await call(header);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    const ok = await call(`Bearer ${env().CRON_SECRET}`);
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.steps.map((s: { name: string }) => s.name)).toEqual([
      "releaseExpiredHolds",
      "sweepStuckCheckouts",
      "purgeExpiredIdempotencyKeys",
      "offerWaitingLists",
      "refreshEventStatuses",
      "deliverEmail",
    ]);
  });
});
