import { sql, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { events, reservations } from "@/db/schema";
import { toActor } from "@/lib/auth/users";
import { getReservation, holdSeats, listReservations, releaseReservation } from "@/lib/holds";
import { seatKey } from "@/lib/holds/prelock";
import { getRedis } from "@/lib/redis";
import { createTestEvent, createUser, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { sleep } from "@/tests/helpers/wait";

// The rules of a hold, called in-process against real Postgres and Redis: all-or-nothing,
// adding to the open reservation, the per-event limit, the sale window, release, privacy and
// expiry by the database clock without any cron.

async function customer() {
  return toActor(await createUser("CUSTOMER"));
}

describe("holding assigned seats", () => {
  it("holds seats with the server's prices and the event's hold time, and pre-locks them in Redis", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 2500)], holdMinutes: 7 });
    const alice = await customer();
    const r = await holdSeats(alice, event.id, { seatIds: [places[0].id, places[1].id] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.reservation;
    expect(v).toMatchObject({ eventId: event.id, status: "ACTIVE", quantity: 2, amountMinor: 5000, currency: "EUR", paymentDeadline: null });
    expect(v.items.map((i) => i.inventoryId)).toEqual([places[0].id, places[1].id]);
    expect(v.items[0]).toMatchObject({ sectionName: "Stalls", rowLabel: "A", seatNumber: "1", priceMinor: 2500 });
    const [{ secs }] = await db().execute<{ secs: number }>(sql`SELECT extract(epoch FROM (${v.expiresAt}::timestamptz - now()))::float8 AS secs`);
    expect(secs).toBeGreaterThan(7 * 60 - 5);
    expect(secs).toBeLessThanOrEqual(7 * 60);
    expect(await getRedis()!.get(seatKey(event.id, places[0].id))).toBe(v.id);
    await expectIntegrity(event.id);
  });

  it("is all or nothing: overlapping requests never leave a partial hold, and name every taken seat", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 6)] });
    const [a, b] = [await customer(), await customer()];
    const ids = places.map((p) => p.id);
    const ra = await holdSeats(a, event.id, { seatIds: [ids[0], ids[1], ids[2]] });
    expect(ra.ok).toBe(true);
    const rb = await holdSeats(b, event.id, { seatIds: [ids[2], ids[3], ids[4]] });
    expect(rb).toMatchObject({ ok: false, code: "seat_taken", takenSeatIds: [ids[2]] });
    expect(await listReservations(b, { eventId: event.id })).toEqual([]);
    const rows = await db().query.inventory.findMany({ where: (i, { eq }) => eq(i.eventId, event.id), orderBy: (i, { asc }) => asc(i.seq) });
    expect(rows.map((r) => r.status)).toEqual(["HELD", "HELD", "HELD", "AVAILABLE", "AVAILABLE", "AVAILABLE"]);
    // B's Redis keys for 3 and 4 were never set (the script sets none when one is taken).
    expect(await getRedis()!.get(seatKey(event.id, ids[3]))).toBeNull();
    await expectIntegrity(event.id);
  });

  it("adds to the customer's open reservation, keeping its expiry, and ignores seats already held", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 6, 1000)] });
    const a = await customer();
    const first = await holdSeats(a, event.id, { seatIds: [places[0].id] });
    const second = await holdSeats(a, event.id, { seatIds: [places[0].id, places[1].id, places[2].id] });
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.reservation.id).toBe(first.reservation.id);
    expect(second.reservation.expiresAt).toBe(first.reservation.expiresAt);
    expect(second.reservation).toMatchObject({ quantity: 3, amountMinor: 3000 });
    const again = await holdSeats(a, event.id, { seatIds: [places[1].id] });
    expect(again).toMatchObject({ ok: true, reservation: { id: first.reservation.id, quantity: 3 } });
    await expectIntegrity(event.id);
  });

  it("enforces the per-event limit over the whole reservation", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 10)], maxPerOrder: 4 });
    const a = await customer();
    const ids = places.map((p) => p.id);
    expect(await holdSeats(a, event.id, { seatIds: ids.slice(0, 5) })).toMatchObject({ ok: false, code: "limit_exceeded", limit: 4 });
    expect((await holdSeats(a, event.id, { seatIds: ids.slice(0, 3) })).ok).toBe(true);
    expect(await holdSeats(a, event.id, { seatIds: ids.slice(3, 5) })).toMatchObject({ ok: false, code: "limit_exceeded", held: 3 });
    expect((await holdSeats(a, event.id, { seatIds: [ids[3]] })).ok).toBe(true);
    await expectIntegrity(event.id);
  });

  it("refuses unknown seats, seats of another event and GA rows by id, with field errors", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 2), ga(5)] });
    const other = await createTestEvent({ sections: [seats(1, 2)] });
    const a = await customer();
    const gaRow = places.find((p) => p.rowLabel === null)!;
    for (const seatIds of [[other.places[0].id], [gaRow.id], [places[0].id, 999_999_999]]) {
      const r = await holdSeats(a, event.id, { seatIds });
      expect(r).toMatchObject({ ok: false, code: "validation_failed", fields: { seatIds: [expect.stringContaining("Unknown seats")] } });
    }
    expect(await holdSeats(a, event.id, { seatIds: [] })).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await holdSeats(a, event.id, { seatIds: [places[0].id, places[0].id] })).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await holdSeats(a, event.id, { sectionId: other.sections[0].id, quantity: 1 })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fields: { sectionId: ["Unknown section"] },
    });
    expect(await holdSeats(a, "not-a-uuid", { seatIds: [1] })).toMatchObject({ ok: false, code: "not_found" });
    await expectIntegrity(event.id);
  });
});

describe("general admission", () => {
  it("holds a quantity all or nothing and says how many are left", async () => {
    const { event, sections } = await createTestEvent({ sections: [ga(5, 3000)] });
    const [a, b] = [await customer(), await customer()];
    const ra = await holdSeats(a, event.id, { sectionId: sections[0].id, quantity: 3 });
    expect(ra).toMatchObject({ ok: true, reservation: { quantity: 3, amountMinor: 9000 } });
    expect(await holdSeats(b, event.id, { sectionId: sections[0].id, quantity: 3 })).toMatchObject({ ok: false, code: "sold_out", available: 2 });
    expect(await holdSeats(b, event.id, { sectionId: sections[0].id, quantity: 2 })).toMatchObject({ ok: true, reservation: { quantity: 2 } });
    const [counts] = await expectIntegrity(event.id);
    expect(counts).toMatchObject({ available: 0, held: 5, sold: 0 });
  });

  it("refuses an assigned section by quantity", async () => {
    const { event, sections } = await createTestEvent({ sections: [seats(1, 3)] });
    expect(await holdSeats(await customer(), event.id, { sectionId: sections[0].id, quantity: 1 })).toMatchObject({ ok: false, code: "validation_failed" });
  });
});

describe("sale window and event state", () => {
  it("refuses before the sale, after it, for cancelled and for unpublished events", async () => {
    const a = await customer();
    const upcoming = await createTestEvent({ onSale: false });
    expect(await holdSeats(a, upcoming.event.id, { seatIds: [upcoming.places[0].id] })).toMatchObject({ ok: false, code: "sale_not_open" });

    const ended = await createTestEvent();
    await db().execute(
      sql`UPDATE events SET sale_starts_at = now() - interval '2 days', sale_ends_at = now() - interval '1 second' WHERE id = ${ended.event.id}`,
    );
    expect(await holdSeats(a, ended.event.id, { seatIds: [ended.places[0].id] })).toMatchObject({
      ok: false,
      code: "sale_not_open",
      message: expect.stringContaining("ended"),
    });

    const cancelled = await createTestEvent();
    await db().update(events).set({ status: "CANCELLED" }).where(eq(events.id, cancelled.event.id));
    expect(await holdSeats(a, cancelled.event.id, { seatIds: [cancelled.places[0].id] })).toMatchObject({ ok: false, code: "sale_not_open" });

    const draft = await createTestEvent();
    await db().update(events).set({ publishedAt: null }).where(eq(events.id, draft.event.id));
    expect(await holdSeats(a, draft.event.id, { seatIds: [draft.places[0].id] })).toMatchObject({ ok: false, code: "not_found" });
  });

  it("opens the sale at sale_starts_at by the database clock, even while the status still says UPCOMING", async () => {
    const { event, places } = await createTestEvent({ onSale: false });
    expect(event.status).toBe("UPCOMING");
    await db().execute(sql`UPDATE events SET sale_starts_at = now() - interval '1 second' WHERE id = ${event.id}`);
    expect((await holdSeats(await customer(), event.id, { seatIds: [places[0].id] })).ok).toBe(true);
  });

  it("sells a SOLD_OUT event's places again once a hold expired", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 1)], holdSeconds: 1 });
    expect((await holdSeats(await customer(), event.id, { seatIds: [places[0].id] })).ok).toBe(true);
    await db().update(events).set({ status: "SOLD_OUT" }).where(eq(events.id, event.id));
    await sleep(1100);
    expect((await holdSeats(await customer(), event.id, { seatIds: [places[0].id] })).ok).toBe(true);
    await expectIntegrity(event.id);
  });

  it("refuses a new hold while the open reservation is in payment", async () => {
    const { event, places } = await createTestEvent();
    const a = await customer();
    const r = await holdSeats(a, event.id, { seatIds: [places[0].id] });
    if (!r.ok) throw new Error(r.message);
    await db()
      .update(reservations)
      .set({ status: "PAYMENT", paymentDeadline: new Date(Date.now() + 60_000) })
      .where(eq(reservations.id, r.reservation.id));
    expect(await holdSeats(a, event.id, { seatIds: [places[1].id] })).toMatchObject({ ok: false, code: "reservation_locked" });
    expect(await releaseReservation(a, event.id, r.reservation.id)).toMatchObject({ ok: false, code: "reservation_locked" });
  });
});

describe("expiry without any cron (I5)", () => {
  it("frees an expired hold for others, shows it EXPIRED, and lets its owner start again", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 2)], holdSeconds: 1 });
    const [a, b] = [await customer(), await customer()];
    const ra = await holdSeats(a, event.id, { seatIds: [places[0].id] });
    if (!ra.ok) throw new Error(ra.message);
    expect(await holdSeats(b, event.id, { seatIds: [places[0].id] })).toMatchObject({ code: "seat_taken" });
    await sleep(1100);
    // Redis keys expire with the hold; Postgres decides by now() either way.
    const rb = await holdSeats(b, event.id, { seatIds: [places[0].id] });
    expect(rb.ok).toBe(true);
    expect(await getReservation(a, ra.reservation.id)).toMatchObject({ status: "EXPIRED", items: [] });
    expect(await listReservations(a, { eventId: event.id })).toEqual([]);
    const again = await holdSeats(a, event.id, { seatIds: [places[1].id] });
    expect(again.ok && again.reservation.id !== ra.reservation.id).toBe(true);
    const [{ status }] = await db().select({ status: reservations.status }).from(reservations).where(eq(reservations.id, ra.reservation.id));
    expect(status).toBe("EXPIRED");
    await expectIntegrity(event.id);
  });
});

describe("release and privacy", () => {
  it("releases every seat at once, idempotently; others get not_found and see nothing", async () => {
    const { event, places } = await createTestEvent();
    const [a, b] = [await customer(), await customer()];
    const admin = toActor(await createUser("ADMIN"));
    const r = await holdSeats(a, event.id, { seatIds: [places[0].id, places[1].id] });
    if (!r.ok) throw new Error(r.message);
    const id = r.reservation.id;

    expect(await getReservation(b, id)).toBeNull();
    expect(await listReservations(b, { eventId: event.id, userId: a.id })).toEqual([]);
    expect(await releaseReservation(b, event.id, id)).toMatchObject({ ok: false, code: "not_found" });
    expect(await getReservation(admin, id)).toMatchObject({ id });
    expect(await listReservations(admin, { eventId: event.id, userId: a.id })).toHaveLength(1);
    expect(await listReservations(a)).toEqual(expect.arrayContaining([expect.objectContaining({ id })]));

    expect(await releaseReservation(a, event.id, id)).toEqual({ ok: true });
    expect(await releaseReservation(a, event.id, id)).toEqual({ ok: true });
    expect(await getReservation(a, id)).toMatchObject({ status: "RELEASED", items: [] });
    expect(await getRedis()!.get(seatKey(event.id, places[0].id))).toBeNull();
    expect((await holdSeats(b, event.id, { seatIds: [places[0].id, places[1].id] })).ok).toBe(true);
    await expectIntegrity(event.id);
  });
});
