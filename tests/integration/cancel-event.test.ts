import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.TESSERA_TEST_FAULTS = "1";
});

import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { User } from "@/db/schema";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout } from "@/lib/checkout";
import { armFault } from "@/lib/testing/faults";
import { cancelEvent } from "@/lib/events/cancel";
import { createTestEvent, createUser, createUsers, seats } from "@/tests/helpers/fixtures";
import { newKey, pay } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { eventStatus } from "@/tests/helpers/db-state";

/** An event with `n` customers who each booked two seats (price 1500 each). */
async function eventWithBookings(n: number) {
  const { event, organizer, places } = await createTestEvent({ sections: [seats(n, 2, 1500)] });
  const customers = (await createUsers(n)).map(toActor);
  await Promise.all(
    customers.map(async (c, i) => {
      const res = await hold(c, event.id, { seatIds: [places[2 * i].id, places[2 * i + 1].id] });
      const r = await confirmCheckout(c, { reservationId: res.id, payment: pay() }, newKey());
      if (!r.ok) throw new Error(r.message);
    }),
  );
  return { event, organizer, places, customers };
}

async function refundCounts(eventId: string) {
  const [row] = await db().execute<{ refund_rows: number; refunded_ok: number; audits: number; cancels: number; live_tickets: number; confirmed: number }>(sql`
    SELECT
      (SELECT count(*)::int FROM payments p JOIN checkouts c ON c.id = p.checkout_id WHERE c.event_id = ${eventId} AND p.kind = 'REFUND') AS refund_rows,
      (SELECT count(*)::int FROM payments p JOIN checkouts c ON c.id = p.checkout_id WHERE c.event_id = ${eventId} AND p.kind = 'REFUND' AND p.status = 'SUCCEEDED') AS refunded_ok,
      (SELECT count(*)::int FROM audit_log WHERE action = 'booking.refund' AND target_id IN (SELECT id::text FROM bookings WHERE event_id = ${eventId})) AS audits,
      (SELECT count(*)::int FROM audit_log WHERE action = 'event.cancel' AND target_id = ${eventId}) AS cancels,
      (SELECT count(*)::int FROM tickets WHERE event_id = ${eventId} AND status <> 'VOID') AS live_tickets,
      (SELECT count(*)::int FROM bookings WHERE event_id = ${eventId} AND status = 'CONFIRMED') AS confirmed`);
  return row;
}

describe("event cancellation", () => {
  it("refunds every booking once, voids tickets, frees places, and is idempotent", async () => {
    const { event, organizer } = await eventWithBookings(3);
    const r = await cancelEvent(toActor(organizer), event.id);
    expect(r).toEqual({ ok: true, alreadyCancelled: false, bookingsCancelled: 3, refundsPending: 0 });
    expect(await eventStatus(event.id)).toBe("CANCELLED");
    expect(await refundCounts(event.id)).toEqual({ refund_rows: 3, refunded_ok: 3, audits: 3, cancels: 1, live_tickets: 0, confirmed: 0 });
    const [sold] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM inventory WHERE event_id = ${event.id} AND status = 'SOLD'`);
    expect(sold.n).toBe(0);
    const [audit] = await db().execute<{ actor_id: string; created_at: string; details: Record<string, unknown> }>(sql`
      SELECT actor_id, created_at::text, details FROM audit_log WHERE action = 'event.cancel' AND target_id = ${event.id}`);
    expect(audit.actor_id).toBe(organizer.id);
    expect(audit.created_at).toBeTruthy();
    // The trail names the event (as it was called then), on the cancellation and on each refund.
    expect(audit.details).toMatchObject({ title: event.title, previousStatus: "SOLD_OUT" });
    const refunds = await db().execute<{ details: Record<string, unknown> }>(sql`
      SELECT details FROM audit_log WHERE action = 'booking.refund' AND details->>'eventId' = ${event.id}`);
    expect(refunds).toHaveLength(3);
    for (const r of refunds) expect(r.details).toMatchObject({ eventId: event.id, eventTitle: event.title, reason: "event_cancelled" });

    const again = await cancelEvent(toActor(organizer), event.id);
    expect(again).toEqual({ ok: true, alreadyCancelled: true, bookingsCancelled: 0, refundsPending: 0 });
    expect(await ledger(event.id)).toMatchObject({ charges: 3, refunds: 3, charged: 9000, refunded: 9000 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("run twice at the same time (organizer and admin) still refunds each booking exactly once", async () => {
    const { event, organizer } = await eventWithBookings(8);
    const admin = toActor(await createUser("ADMIN"));
    const [a, b] = await Promise.all([cancelEvent(toActor(organizer), event.id), cancelEvent(admin, event.id)]);
    if (!a.ok || !b.ok) throw new Error("cancel failed");
    expect(a.bookingsCancelled + b.bookingsCancelled).toBe(8);
    expect([a.alreadyCancelled, b.alreadyCancelled].sort()).toEqual([false, true]);
    expect(await refundCounts(event.id)).toEqual({ refund_rows: 8, refunded_ok: 8, audits: 8, cancels: 1, live_tickets: 0, confirmed: 0 });
    expect(await ledger(event.id)).toMatchObject({ charges: 8, refunds: 8 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("only the event's organizer or an admin may cancel; anyone else gets not_found", async () => {
    const { event } = await eventWithBookings(1);
    const others: User[] = [await createUser("ORGANIZER"), await createUser("CUSTOMER")];
    for (const u of others) expect(await cancelEvent(toActor(u), event.id)).toMatchObject({ ok: false, code: "not_found" });
    expect(await cancelEvent(toActor(others[0]), "not-a-uuid")).toMatchObject({ ok: false, code: "not_found" });
    expect(await eventStatus(event.id)).not.toBe("CANCELLED");
    expect((await refundCounts(event.id)).refund_rows).toBe(0);
    await expectIntegrity(event.id);
  });

  it("a payment that lands after the cancellation is refunded by the saga; new confirms are refused", async () => {
    const { event, organizer, places } = await createTestEvent({ sections: [seats(1, 4, 2500)] });
    const [late, waiting] = (await createUsers(2)).map(toActor);
    const resLate = await hold(late, event.id, { seatIds: [places[0].id] });
    const resWaiting = await hold(waiting, event.id, { seatIds: [places[1].id] });
    armFault("after-charge", {
      reservationId: resLate.id,
      action: async () => {
        expect(await cancelEvent(toActor(organizer), event.id)).toMatchObject({ ok: true, bookingsCancelled: 0 });
      },
    });
    const r = await confirmCheckout(late, { reservationId: resLate.id, payment: pay() }, newKey());
    expect(r).toMatchObject({ ok: false, code: "reservation_closed", refunded: true });
    const w = await confirmCheckout(waiting, { reservationId: resWaiting.id, payment: pay() }, newKey());
    expect(w).toMatchObject({ ok: false, code: "reservation_closed" });
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 1 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });
});
