import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // One provider timeout for this file: deadlines = 2 s, the slow card answers after 3 s.
  process.env.PAYMENT_TIMEOUT_MS = "1000";
  process.env.TESSERA_TEST_FAULTS = "1";
});

import { sql } from "drizzle-orm";
import { db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout, sweepStuckCheckouts } from "@/lib/checkout";
import { armFault } from "@/lib/testing/faults";
import { SimulatedCrash } from "@/lib/testing/faults";
import { verifyTicketPayload } from "@/lib/tickets";
import { createTestEvent, createUser, ga, seats } from "@/tests/helpers/fixtures";
import { newKey, pay } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { checkoutsOf, eventStatus, placeStates, reservationStatus, waitUntilDbTime } from "@/tests/helpers/db-state";
import { eventually, sleep } from "@/tests/helpers/wait";

async function setup(opts: { price?: number; count?: number } = {}) {
  const { event, places } = await createTestEvent({ sections: [seats(1, 4, opts.price ?? 2500)] });
  const user = await createUser();
  const actor = toActor(user);
  const ids = places.slice(0, opts.count ?? 2).map((p) => p.id);
  const reservation = await hold(actor, event.id, { seatIds: ids });
  return { event, actor, ids, reservation };
}

async function deadlineOf(reservationId: string): Promise<string> {
  const [c] = await db().execute<{ deadline: string }>(
    sql`SELECT deadline::text FROM checkouts WHERE reservation_id = ${reservationId} ORDER BY created_at DESC LIMIT 1`,
  );
  return c.deadline;
}

describe("checkout saga", () => {
  beforeAll(() => {
    expect(process.env.TESSERA_TEST_FAULTS).toBe("1");
  });

  it("books a held reservation at the server's price, with signed tickets, and replays the same bytes", async () => {
    const { event, actor, ids, reservation } = await setup();
    const key = newKey();
    const r = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, key);
    if (!r.ok) throw new Error(r.message);
    expect(r.status).toBe(201);
    expect(r.replayed).toBe(false);
    expect(r.booking.amountMinor).toBe(5000);
    expect(r.booking.reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(r.booking.tickets).toHaveLength(2);
    for (const t of r.booking.tickets) expect(verifyTicketPayload(t.qrPayload)?.ticketId).toBe(t.id);
    expect(await reservationStatus(reservation.id)).toBe("CONFIRMED");
    expect((await placeStates(ids)).map((p) => p.status)).toEqual(["SOLD", "SOLD"]);

    const again = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, key);
    if (!again.ok) throw new Error(again.message);
    expect(again.replayed).toBe(true);
    expect(again.body).toBe(r.body);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0, charged: 5000 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("books a free event without calling the provider, still through a checkout row", async () => {
    const { event, actor, reservation } = await setup({ price: 0 });
    const r = await confirmCheckout(actor, { reservationId: reservation.id, payment: { method: "free" } }, newKey());
    if (!r.ok) throw new Error(r.message);
    expect(r.booking.amountMinor).toBe(0);
    const [c] = await checkoutsOf(reservation.id);
    expect(c).toMatchObject({ state: "BOOKED", amount_minor: 0 });
    expect((await ledger(event.id)).charges).toBe(0);
    const [l] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM mock_ledger WHERE idempotency_key = ${c.provider_key}`);
    expect(l.n).toBe(0);
    await expectIntegrity(event.id);
  });

  it("refuses the free method for a paid reservation, and an unknown reservation", async () => {
    const { actor, reservation } = await setup();
    const r = await confirmCheckout(actor, { reservationId: reservation.id, payment: { method: "free" } }, newKey());
    expect(r).toMatchObject({ ok: false, code: "validation_failed" });
    const missing = await confirmCheckout(actor, { reservationId: crypto.randomUUID(), payment: pay() }, newKey());
    expect(missing).toMatchObject({ ok: false, code: "not_found" });
    expect(await reservationStatus(reservation.id)).toBe("ACTIVE");
  });

  it("turns the event SOLD_OUT in the transaction that sells its last place", async () => {
    const { event, places } = await createTestEvent({ sections: [ga(2, 1500)] });
    const actor = toActor(await createUser());
    const reservation = await hold(actor, event.id, { sectionId: places[0].sectionId, quantity: 2 });
    await db().execute(sql`UPDATE events SET status = 'ON_SALE' WHERE id = ${event.id}`); // as if nothing had refreshed it
    const r = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, newKey());
    expect(r.ok).toBe(true);
    expect(await eventStatus(event.id)).toBe("SOLD_OUT");
    await expectIntegrity(event.id);
  });

  it("a declined card charges nothing and keeps the seats held for another card", async () => {
    const { event, actor, ids, reservation } = await setup();
    const key = newKey();
    const declined = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay("decline") }, key);
    expect(declined).toMatchObject({ ok: false, code: "payment_declined", declineCode: "card_declined", expiresAt: reservation.expiresAt });
    expect(await reservationStatus(reservation.id)).toBe("ACTIVE");
    const [row] = await db().execute<{ ok: boolean }>(sql`
      SELECT bool_and(i.status = 'HELD' AND i.hold_expires_at = r.expires_at) AS ok
      FROM inventory i JOIN reservations r ON r.id = i.reservation_id WHERE r.id = ${reservation.id}`);
    expect(row.ok).toBe(true);
    // The same key answers the same, byte for byte.
    const replay = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay("decline") }, key);
    expect(replay).toMatchObject({ ok: false, code: "payment_declined", replayed: true });
    const { replayed: _a, ...first } = declined as Record<string, unknown>;
    const { replayed: _b, ...second } = replay as Record<string, unknown>;
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));

    const poor = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay("insufficientFunds") }, newKey());
    expect(poor).toMatchObject({ ok: false, code: "payment_declined", declineCode: "insufficient_funds" });
    const ok = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, newKey());
    expect(ok.ok).toBe(true);
    expect((await placeStates(ids)).every((p) => p.status === "SOLD")).toBe(true);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("provider timeout: the customer is told, and the sweep books once the provider reports the charge", async () => {
    const { event, actor, reservation } = await setup();
    const key = newKey();
    const r = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay("slow") }, key);
    expect(r).toMatchObject({ ok: false, code: "payment_timeout" });
    expect(await reservationStatus(reservation.id)).toBe("PAYMENT");
    await eventually("the charge is on the ledger", async () => (await ledger(event.id)).charges === 1, 8000, 50);
    await waitUntilDbTime(await deadlineOf(reservation.id));
    await sweepStuckCheckouts();
    expect((await checkoutsOf(reservation.id))[0].state).toBe("BOOKED");
    // The customer's retry with the same key finds the booking (the timeout was not stored).
    const retry = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay("slow") }, key);
    expect(retry).toMatchObject({ ok: true, status: 201 });
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("provider timeout: a sweep before the charge lands voids the key, so the late charge moves no money", async () => {
    const { event, actor, ids, reservation } = await setup();
    const r = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay("slow") }, newKey());
    expect(r).toMatchObject({ ok: false, code: "payment_timeout" });
    await waitUntilDbTime(await deadlineOf(reservation.id));
    await sweepStuckCheckouts();
    const [c] = await checkoutsOf(reservation.id);
    expect(c).toMatchObject({ state: "DECLINED", failure_code: "payment_canceled" });
    expect(await reservationStatus(reservation.id)).toBe("ACTIVE"); // the 10-minute hold has time left
    expect((await placeStates(ids)).every((p) => p.status === "HELD" && p.reservation_id === reservation.id)).toBe(true);
    // The slow charge arrives (3 s after it was sent) and finds its key voided.
    await sleep(1500);
    const [l] = await db().execute<{ outcome: string }>(sql`SELECT outcome FROM mock_ledger WHERE idempotency_key = ${c.provider_key}`);
    expect(l.outcome).toBe("canceled");
    expect((await ledger(event.id)).charges).toBe(0);
    await expectIntegrity(event.id);
  });

  it("a provider failure is not stored: the retry with the same key charges once and books", async () => {
    const { event, actor, reservation } = await setup();
    const key = newKey();
    const first = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay("flaky") }, key);
    expect(first).toMatchObject({ ok: false, code: "payment_unavailable" });
    expect((await checkoutsOf(reservation.id))[0].state).toBe("STARTED");
    const retry = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay("flaky") }, key);
    expect(retry).toMatchObject({ ok: true, status: 201, replayed: false });
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("a database error right after the charge refunds it, releases the seats and fails the reservation", async () => {
    const { event, actor, ids, reservation } = await setup();
    armFault("after-charge", { reservationId: reservation.id });
    const key = newKey();
    const r = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, key);
    expect(r).toMatchObject({ ok: false, code: "internal", refunded: true });
    expect((await checkoutsOf(reservation.id))[0].state).toBe("REFUNDED");
    expect(await reservationStatus(reservation.id)).toBe("FAILED");
    expect((await placeStates(ids)).every((p) => p.status === "AVAILABLE")).toBe(true);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 1, charged: 5000, refunded: 5000 });
    expect(await confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, key)).toMatchObject({ code: "internal", replayed: true });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("a failure inside the booking transaction rolls it back entirely, then refunds", async () => {
    const { event, places } = await createTestEvent({ sections: [ga(2, 1500)] });
    const actor = toActor(await createUser());
    const reservation = await hold(actor, event.id, { sectionId: places[0].sectionId, quantity: 2 });
    await db().execute(sql`UPDATE events SET status = 'ON_SALE' WHERE id = ${event.id}`);
    armFault("before-booking-commit", { reservationId: reservation.id });
    const r = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, newKey());
    expect(r).toMatchObject({ ok: false, code: "internal", refunded: true });
    const [n] = await db().execute<{ bookings: number; tickets: number }>(sql`
      SELECT (SELECT count(*)::int FROM bookings WHERE event_id = ${event.id}) AS bookings,
             (SELECT count(*)::int FROM tickets WHERE event_id = ${event.id}) AS tickets`);
    expect(n).toEqual({ bookings: 0, tickets: 0 });
    expect(await eventStatus(event.id)).toBe("ON_SALE"); // the SOLD_OUT update was rolled back too
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 1 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("a crash after the charge: the sweep asks the provider by key and books; the retry gets that booking", async () => {
    const { event, actor, reservation } = await setup();
    armFault("crash-after-charge", { reservationId: reservation.id });
    const key = newKey();
    await expect(confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, key)).rejects.toBeInstanceOf(SimulatedCrash);
    expect((await checkoutsOf(reservation.id))[0].state).toBe("STARTED"); // nothing recorded after the charge
    expect((await ledger(event.id)).charges).toBe(1);
    await waitUntilDbTime(await deadlineOf(reservation.id));
    await sweepStuckCheckouts();
    const [c] = await checkoutsOf(reservation.id);
    expect(c.state).toBe("BOOKED");
    const retry = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, key); // waits out the dead request's lease
    if (!retry.ok) throw new Error(retry.message);
    expect(retry.booking.id).toBe(c.booking_id);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("a crash after the charge: the customer's retry resumes the saga without charging again", async () => {
    const { event, actor, reservation } = await setup();
    armFault("crash-after-charge", { reservationId: reservation.id });
    const key = newKey();
    await expect(confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, key)).rejects.toBeInstanceOf(SimulatedCrash);
    const retry = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, key);
    expect(retry).toMatchObject({ ok: true, status: 201, replayed: false });
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("a crash after the booking committed: the retry answers with that booking", async () => {
    const { event, actor, reservation } = await setup();
    armFault("crash-after-booking", { reservationId: reservation.id });
    const key = newKey();
    await expect(confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, key)).rejects.toBeInstanceOf(SimulatedCrash);
    const [c] = await checkoutsOf(reservation.id);
    expect(c.state).toBe("BOOKED");
    const retry = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay() }, key);
    if (!retry.ok) throw new Error(retry.message);
    expect(retry.booking.id).toBe(c.booking_id);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });
});
