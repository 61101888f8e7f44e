import { describe, expect, it } from "vitest";
import { toActor } from "@/lib/auth/users";
import { holdSeats, releaseReservation } from "@/lib/holds";
import { PRELOCK_IN_FLIGHT_MS, seatKey } from "@/lib/holds/prelock";
import { getRedis } from "@/lib/redis";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";

// Seats that look free must be holdable. The Redis pre-lock only sheds contention; PostgreSQL
// decides (docs/invariants.md, I6). A key PostgreSQL does not back — left by a crash between
// pre-lock and claim, or by a release spelled differently — is checked and cleared instead of
// answering seat_taken; and every id is spelled one way before it becomes a key.

const customer = async () => toActor(await createUser("CUSTOMER"));
const redis = () => getRedis()!;

describe("a pre-lock key PostgreSQL does not back", () => {
  it("left by a process that died between pre-lock and claim: the next customer gets the seat", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4)], holdMinutes: 10 });
    const seat = places[0].id;
    // What a crash leaves: the key of a reservation that never reached PostgreSQL, set some
    // seconds ago (its time to live has run down past the in-flight window).
    const crashed = crypto.randomUUID();
    await redis().set(seatKey(event.id, seat), crashed, { px: 10 * 60_000 - PRELOCK_IN_FLIGHT_MS - 1000 });

    const r = await holdSeats(await customer(), event.id, { seatIds: [seat, places[1].id] });
    expect(r).toMatchObject({ ok: true });
    // (Which key is left is not asserted: on a loaded machine the pre-lock may time out and the
    // hold go through PostgreSQL alone, which is right too, docs/invariants.md I6.)
    await expectIntegrity(event.id);
  });

  it("a claim in flight (a key set just now) still turns others away without asking PostgreSQL to lock", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4)], holdMinutes: 10 });
    const inFlight = crypto.randomUUID();
    await redis().set(seatKey(event.id, places[0].id), inFlight, { px: 10 * 60_000 });
    const r = await holdSeats(await customer(), event.id, { seatIds: [places[0].id] });
    expect(r).toMatchObject({ ok: false, code: "seat_taken", takenSeatIds: [places[0].id] });
    expect(await redis().get(seatKey(event.id, places[0].id))).toBe(inFlight);
  });

  it("a seat PostgreSQL says is held stays taken, whatever the key's age", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4)], holdMinutes: 10 });
    const first = await holdSeats(await customer(), event.id, { seatIds: [places[0].id] });
    expect(first.ok).toBe(true);
    await redis().pexpire(seatKey(event.id, places[0].id), 60_000); // looks old
    const second = await holdSeats(await customer(), event.id, { seatIds: [places[0].id] });
    expect(second).toMatchObject({ ok: false, code: "seat_taken", takenSeatIds: [places[0].id] });
    await expectIntegrity(event.id);
  });

  it("many customers racing for a seat behind a stale key: exactly one holds it", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 2)], holdMinutes: 10 });
    await redis().set(seatKey(event.id, places[0].id), crypto.randomUUID(), { px: 60_000 });
    const actors = await Promise.all(Array.from({ length: 12 }, customer));
    const results = await Promise.all(actors.map((a) => holdSeats(a, event.id, { seatIds: [places[0].id] })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.code))).toEqual(Array(11).fill("seat_taken"));
    await expectIntegrity(event.id);
  });
});

describe("ids PostgreSQL reads as equal are one key", () => {
  it("a hold and a release through different spellings of the same ids leave no key behind", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4)], holdMinutes: 10 });
    const alice = await customer();
    const held = await holdSeats(alice, event.id.toUpperCase(), { seatIds: [places[0].id] });
    expect(held).toMatchObject({ ok: true });
    if (!held.ok) return;
    expect(held.reservation.eventId).toBe(event.id);
    expect(await redis().get(seatKey(event.id, places[0].id))).toBe(held.reservation.id);

    expect(await releaseReservation(alice, event.id, held.reservation.id.toUpperCase())).toEqual({ ok: true });
    expect(await redis().get(seatKey(event.id, places[0].id))).toBeNull();
    expect(await redis().get(seatKey(event.id.toUpperCase(), places[0].id))).toBeNull();
    const bob = await holdSeats(await customer(), event.id, { seatIds: [places[0].id] });
    expect(bob).toMatchObject({ ok: true });
    await expectIntegrity(event.id);
  });
});
