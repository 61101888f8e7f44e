import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.PAYMENT_TIMEOUT_MS = "500"; // payment deadline 1 s after the checkout starts
  process.env.TESSERA_TEST_FAULTS = "1";
});

import { sql } from "drizzle-orm";
import { db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout } from "@/lib/checkout";
import { armFault } from "@/lib/testing/faults";
import { holdSeats, releaseReservation } from "@/lib/holds";
import { createTestEvent, createUser, createUsers, ga, seats } from "@/tests/helpers/fixtures";
import { newKey, pay } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { checkoutsOf, placeStates, reservationStatus, waitUntilDbTime } from "@/tests/helpers/db-state";
import { sleep } from "@/tests/helpers/wait";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

async function bookingsOf(eventId: string) {
  return db().execute<{ id: string; user_id: string; status: string; tickets: number }>(sql`
    SELECT b.id, b.user_id, b.status, (SELECT count(*)::int FROM tickets t WHERE t.booking_id = b.id AND t.status = 'VALID') AS tickets
    FROM bookings b WHERE b.event_id = ${eventId} ORDER BY b.created_at`);
}

describe("stale holder (hold 2 s)", () => {
  it("A stalls 3 s mid-request, B holds and buys, A resumes → refused by the database check, never charged", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 3000)], holdSeconds: 2 });
    const [a, b] = (await createUsers(2)).map(toActor);
    const seat = [places[0].id];
    const resA = await hold(a, event.id, { seatIds: seat });

    // A's confirm is paused before it reaches the database, like a request stuck behind a GC pause.
    const stall = gate();
    armFault("before-start", { reservationId: resA.id, action: () => stall.opened });
    const aConfirm = confirmCheckout(a, { reservationId: resA.id, payment: pay() }, newKey());
    await sleep(3000);

    const resB = await hold(b, event.id, { seatIds: seat }); // A's hold ran out: B may take the seat
    const bBooked = await confirmCheckout(b, { reservationId: resB.id, payment: pay() }, newKey());
    if (!bBooked.ok) throw new Error(bBooked.message);

    stall.open();
    const aResult = await aConfirm;
    expect(aResult).toMatchObject({ ok: false, code: "hold_expired", refunded: false });
    expect(await checkoutsOf(resA.id)).toHaveLength(0); // refused before any checkout or charge
    const l = await ledger(event.id);
    expect(l).toMatchObject({ charges: 1, refunds: 0, charged: 3000 });
    const booked = await bookingsOf(event.id);
    expect(booked).toEqual([{ id: bBooked.booking.id, user_id: b.id, status: "CONFIRMED", tickets: 1 }]);
    expect(await placeStates(seat)).toEqual([{ id: seat[0], status: "SOLD", reservation_id: resB.id }]);
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("control: A resuming within its hold is booked, and B cannot take the seat", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 3000)], holdSeconds: 2 });
    const [a, b] = (await createUsers(2)).map(toActor);
    const seat = [places[0].id];
    const resA = await hold(a, event.id, { seatIds: seat });
    await sleep(300);
    const r = await confirmCheckout(a, { reservationId: resA.id, payment: pay() }, newKey());
    expect(r.ok).toBe(true);
    const bHold = await holdSeats(b, event.id, { seatIds: seat });
    expect(bHold).toMatchObject({ ok: false, code: "seat_taken" });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });
});

describe("parallel confirms of one reservation", () => {
  it("50 with the same key → one booking, one charge, 50 identical responses", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 5, 1200)] });
    const actor = toActor(await createUser());
    const res = await hold(actor, event.id, { seatIds: places.slice(0, 3).map((p) => p.id) });
    const key = newKey();
    const results = await Promise.all(Array.from({ length: 50 }, () => confirmCheckout(actor, { reservationId: res.id, payment: pay() }, key)));
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(50);
    expect(new Set(ok.map((r) => r.body)).size).toBe(1);
    expect(ok.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await bookingsOf(event.id)).toHaveLength(1);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0, charged: 3600 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("50 with different keys → one booking, one charge, the others refused clearly", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 5, 1200)] });
    const actor = toActor(await createUser());
    const res = await hold(actor, event.id, { seatIds: places.slice(0, 2).map((p) => p.id) });
    const results = await Promise.all(Array.from({ length: 50 }, () => confirmCheckout(actor, { reservationId: res.id, payment: pay() }, newKey())));
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) {
      expect(["reservation_locked", "reservation_closed"]).toContain(r.code);
      expect(String(r.message)).toMatch(/Nothing (more )?was charged/);
    }
    expect(await bookingsOf(event.id)).toHaveLength(1);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    expect(await checkoutsOf(res.id)).toHaveLength(1);
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });
});

describe("payment that lands after the payment deadline", () => {
  // The provider charges, then answers late: the fault callback holds the answer until the
  // checkout's deadline (and the hold) have passed on the database clock.
  async function lateCheckout(opts: {
    sections: NonNullable<Parameters<typeof createTestEvent>[0]>["sections"];
    take: (eventId: string, placeIds: number[]) => Promise<Record<string, unknown>>;
    pick: (placeIds: number[], sectionId: string) => Parameters<typeof hold>[2];
  }) {
    const { event, places } = await createTestEvent({ sections: opts.sections, holdSeconds: 1 });
    const a = toActor(await createUser());
    const resA = await hold(
      a,
      event.id,
      opts.pick(
        places.map((p) => p.id),
        places[0].sectionId,
      ),
    );
    const mine = resA.items.map((i) => i.inventoryId);
    let meanwhile: Record<string, unknown> = {};
    armFault("after-charge", {
      reservationId: resA.id,
      action: async () => {
        const [d] = await db().execute<{ deadline: string }>(sql`SELECT payment_deadline::text AS deadline FROM reservations WHERE id = ${resA.id}`);
        await waitUntilDbTime(d.deadline, 100);
        meanwhile = await opts.take(event.id, mine);
      },
    });
    const result = await confirmCheckout(a, { reservationId: resA.id, payment: pay() }, newKey());
    return { event, a, resA, mine, result, meanwhile };
  }

  it("seats still free (released meanwhile) → re-claimed under lock and booked", async () => {
    const { event, resA, mine, result } = await lateCheckout({
      sections: [seats(1, 4, 2000)],
      pick: (ids) => ({ seatIds: ids.slice(0, 2) }),
      take: async (eventId, ids) => {
        // Someone holds the expired seats and lets them go: they are AVAILABLE, no longer A's.
        const b = toActor(await createUser());
        const resB = await hold(b, eventId, { seatIds: ids });
        expect(await releaseReservation(b, eventId, resB.id)).toEqual({ ok: true });
        expect((await placeStates(ids)).every((p) => p.status === "AVAILABLE" && p.reservation_id === null)).toBe(true);
        return {};
      },
    });
    expect(result).toMatchObject({ ok: true, status: 201 });
    expect(await reservationStatus(resA.id)).toBe("CONFIRMED");
    expect((await placeStates(mine)).every((p) => p.status === "SOLD" && p.reservation_id === resA.id)).toBe(true);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("seats taken meanwhile → refunded at once, reservation FAILED, the customer told clearly", async () => {
    const { event, resA, mine, result, meanwhile } = await lateCheckout({
      sections: [seats(1, 4, 2000)],
      pick: (ids) => ({ seatIds: ids.slice(0, 2) }),
      take: async (eventId, ids) => {
        const b = toActor(await createUser());
        const resB = await hold(b, eventId, { seatIds: ids });
        const bought = await confirmCheckout(b, { reservationId: resB.id, payment: pay() }, newKey());
        return { bookingB: bought.ok ? bought.booking.id : null, resB: resB.id };
      },
    });
    expect(result).toMatchObject({ ok: false, code: "hold_expired", refunded: true, amountMinor: 4000 });
    expect(String((result as { message: string }).message)).toMatch(/sold to someone else.*refunded/);
    expect(meanwhile.bookingB).toBeTruthy();
    expect((await checkoutsOf(resA.id))[0]).toMatchObject({ state: "REFUNDED", failure_code: "seats_taken" });
    expect(await reservationStatus(resA.id)).toBe("FAILED");
    expect((await placeStates(mine)).every((p) => p.status === "SOLD" && p.reservation_id === meanwhile.resB)).toBe(true);
    expect(await ledger(event.id)).toMatchObject({ charges: 2, refunds: 1, charged: 8000, refunded: 4000 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("general admission: places taken meanwhile are replaced by other free places of the section", async () => {
    let resC = "";
    const { event, resA, result } = await lateCheckout({
      sections: [ga(4, 1000)],
      pick: (_ids, sectionId) => ({ sectionId, quantity: 2 }),
      take: async (eventId, ids) => {
        const [{ section_id: sectionId }] = await db().execute<{ section_id: string }>(sql`SELECT section_id FROM inventory WHERE id = ${ids[0]}`);
        // B and C take all four places (A's two expired ones among them), then B lets its two go.
        const [b, c] = (await createUsers(2)).map(toActor);
        const resB = await hold(b, eventId, { sectionId, quantity: 2 });
        resC = (await hold(c, eventId, { sectionId, quantity: 2 })).id;
        expect(await releaseReservation(b, eventId, resB.id)).toEqual({ ok: true });
        return {};
      },
    });
    expect(result).toMatchObject({ ok: true, status: 201 });
    if (!result.ok) return;
    expect(result.booking.tickets).toHaveLength(2);
    expect(await reservationStatus(resA.id)).toBe("CONFIRMED");
    // C's hold is untouched: its two places are still HELD by C.
    const [c] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM inventory WHERE reservation_id = ${resC} AND status = 'HELD'`);
    expect(c.n).toBe(2);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0, charged: 2000 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });
});
