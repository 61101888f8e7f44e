import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { blockPlaces } from "@/lib/blocking/block";
import { createStaffOrder } from "@/lib/box-office/order";
import { getEventDashboard } from "@/lib/dashboard/stats";
import { holdSeats } from "@/lib/holds";
import { createTestEvent, createUser, createUsers, ga, seats, uniqueEmail } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";

// Box-office orders (lib/box-office): staff sell places at the desk. Real PostgreSQL and Redis,
// lib functions called in-process; the race uses the pool's separate connections.

async function bookingRow(id: string) {
  const [row] = await db().execute<{ amount_minor: number; payment_method: string; sold_by: string; user_id: string; prices: number[] }>(sql`
    SELECT b.amount_minor, b.payment_method, b.sold_by, b.user_id,
      (SELECT json_agg(t.price_minor ORDER BY t.inventory_id) FROM tickets t WHERE t.booking_id = b.id) AS prices
    FROM bookings b WHERE b.id = ${id}`);
  return row;
}

describe("box-office orders", () => {
  it("sells seats for cash to an existing account, records method and staff, queues the email and audits it", async () => {
    const { event, organizer, places } = await createTestEvent({ sections: [seats(1, 6, 2500)] });
    const staff = toActor(organizer);
    const buyer = await createUser("CUSTOMER");
    const r = await createStaffOrder(staff, event.id, {
      customer: { email: buyer.email.toUpperCase() },
      method: "CASH",
      seatIds: [places[0].id, places[1].id],
    });
    expect(r).toMatchObject({ ok: true, customerId: buyer.id, newGuest: false, method: "CASH", amountMinor: 5000, currency: "EUR", places: 2 });
    if (!r.ok) return;
    expect(await bookingRow(r.bookingId)).toMatchObject({ amount_minor: 5000, payment_method: "CASH", sold_by: organizer.id, prices: [2500, 2500] });
    const [mail] = await db().execute<{ recipient: string }>(sql`SELECT recipient FROM email_outbox WHERE dedupe_key = ${`booking_confirmed:${r.bookingId}`}`);
    expect(mail.recipient).toBe(buyer.email);
    const [audit] = await db().execute<{ actor_id: string; details: { method: string; places: number } }>(
      sql`SELECT actor_id, details FROM audit_log WHERE action = 'booking.staff_order' AND target_id = ${r.bookingId}`,
    );
    expect(audit).toMatchObject({ actor_id: organizer.id, details: { method: "CASH", places: 2 } });
    // A web customer cannot hold a seat sold at the desk.
    expect(await holdSeats(toActor(await createUser()), event.id, { seatIds: [places[0].id] })).toMatchObject({ ok: false, code: "seat_taken" });
    await expectIntegrity(event.id);
  });

  it("comps and invitations cost nothing: tickets at zero, counted apart from revenue; a new address gets a guest account", async () => {
    const { event, organizer, sections } = await createTestEvent({ sections: [ga(10, 3000)] });
    const staff = toActor(organizer);
    const email = uniqueEmail("comp");
    const comp = await createStaffOrder(staff, event.id, {
      customer: { email, name: "Critic" },
      method: "COMPLIMENTARY",
      sectionId: sections[0].id,
      quantity: 2,
    });
    expect(comp).toMatchObject({ ok: true, newGuest: true, amountMinor: 0, places: 2 });
    if (!comp.ok) return;
    expect(await bookingRow(comp.bookingId)).toMatchObject({ amount_minor: 0, payment_method: "COMPLIMENTARY", prices: [0, 0] });
    const [guest] = await db().execute<{ guest: boolean; password_hash: string | null }>(
      sql`SELECT guest, password_hash FROM users WHERE id = ${comp.customerId}`,
    );
    expect(guest).toEqual({ guest: true, password_hash: null });
    const invite = await createStaffOrder(staff, event.id, { customer: { email }, method: "INVITATION", sectionId: sections[0].id, quantity: 1 });
    expect(invite).toMatchObject({ ok: true, newGuest: true, amountMinor: 0 });
    const card = await createStaffOrder(staff, event.id, { customer: { email }, method: "CARD_AT_DESK", sectionId: sections[0].id, quantity: 1 });
    expect(card).toMatchObject({ ok: true, amountMinor: 3000 });
    // The database refuses a priced comp whatever writes it.
    await expect(db().execute(sql`UPDATE bookings SET amount_minor = 100 WHERE id = ${comp.bookingId}`)).rejects.toThrow();
    const d = (await getEventDashboard(staff, event.id))!;
    expect(d.totals).toMatchObject({ sold: 4, revenueMinor: 3000, compPlaces: 3 });
    await expectIntegrity(event.id);
  });

  it("house seats are sold only when included on purpose; taken seats and GA shortfalls are refused with nothing written", async () => {
    const { event, organizer, places, sections } = await createTestEvent({ sections: [seats(1, 4), ga(3)] });
    const staff = toActor(organizer);
    await blockPlaces(staff, event.id, { seatIds: [places[0].id], reason: "House" });
    const held = await holdSeats(toActor(await createUser()), event.id, { seatIds: [places[1].id] });
    expect(held.ok).toBe(true);
    const email = uniqueEmail("desk");
    const before = await db().execute(sql`SELECT 1 FROM bookings WHERE event_id = ${event.id}`);

    const plain = await createStaffOrder(staff, event.id, { customer: { email }, method: "CASH", seatIds: [places[0].id, places[2].id] });
    expect(plain).toMatchObject({
      ok: false,
      code: "seat_taken",
      takenSeatIds: [places[0].id],
      fields: { seatIds: [expect.stringContaining("row A, seat 1")] },
    });
    expect(plain.ok === false && plain.message).toContain("House seats are sold only when you include them on purpose.");
    const onHeld = await createStaffOrder(staff, event.id, { customer: { email }, method: "CASH", seatIds: [places[1].id], includeBlocked: true });
    expect(onHeld).toMatchObject({ ok: false, code: "seat_taken", takenSeatIds: [places[1].id] });
    expect(onHeld.ok === false && onHeld.message).not.toContain("House seats");
    const gaShort = await createStaffOrder(staff, event.id, { customer: { email }, method: "CASH", sectionId: sections[1].id, quantity: 4 });
    expect(gaShort).toMatchObject({ ok: false, code: "sold_out", available: 3, fields: { quantity: ["At most 3"] } });
    expect(await db().execute(sql`SELECT 1 FROM bookings WHERE event_id = ${event.id}`)).toHaveLength(before.length);
    expect(await db().execute(sql`SELECT 1 FROM users WHERE lower(email) = ${email}`)).toHaveLength(0);

    const house = await createStaffOrder(staff, event.id, {
      customer: { email },
      method: "INVITATION",
      seatIds: [places[0].id, places[2].id],
      includeBlocked: true,
    });
    expect(house).toMatchObject({ ok: true, places: 2, fromBlocked: 1, amountMinor: 0 });
    await expectIntegrity(event.id);
  });

  it("field-level errors for bad input, and seats of another event are named", async () => {
    const { event, organizer } = await createTestEvent({ sections: [seats(1, 2)] });
    const other = await createTestEvent({ sections: [seats(1, 2)] });
    const staff = toActor(organizer);
    const bad = await createStaffOrder(staff, event.id, { customer: { email: "not-an-address" }, method: "BARTER" as never, seatIds: [] });
    expect(bad).toMatchObject({ ok: false, code: "validation_failed" });
    const foreign = await createStaffOrder(staff, event.id, { customer: { email: uniqueEmail() }, method: "CASH", seatIds: [other.places[0].id] });
    expect(foreign).toMatchObject({ ok: false, code: "validation_failed", fields: { seatIds: [expect.stringContaining(String(other.places[0].id))] } });
  });
});

describe("who may sell at the box office", () => {
  it("the event's organizer and admins; another organizer sees no such event; customers are refused; a demoted organizer loses it", async () => {
    const { event, organizer, places } = await createTestEvent({ sections: [seats(1, 6)] });
    const order = (seat: number) => ({ customer: { email: uniqueEmail() }, method: "CASH" as const, seatIds: [places[seat].id] });
    const admin = toActor(await createUser("ADMIN"));
    const otherOrganizer = toActor(await createUser("ORGANIZER"));
    const customer = toActor(await createUser("CUSTOMER"));
    expect(await createStaffOrder(toActor(organizer), event.id, order(0))).toMatchObject({ ok: true });
    expect(await createStaffOrder(admin, event.id, order(1))).toMatchObject({ ok: true });
    expect(await createStaffOrder(otherOrganizer, event.id, order(2))).toMatchObject({ ok: false, code: "not_found" });
    await expect(createStaffOrder(customer, event.id, order(3))).rejects.toMatchObject({ code: "forbidden" });
    // Judged by the current role: the same person demoted to customer is refused.
    await expect(createStaffOrder({ ...toActor(organizer), role: "CUSTOMER" }, event.id, order(4))).rejects.toMatchObject({ code: "forbidden" });
    expect(await createStaffOrder(admin, crypto.randomUUID(), order(5))).toMatchObject({ ok: false, code: "not_found" });
    await expectIntegrity(event.id);
  });
});

describe("a staff order racing web holds for the same seats", () => {
  it("exactly one wins each seat, over 15 rounds, and the integrity checks hold after", async () => {
    const { event, organizer, places } = await createTestEvent({ sections: [seats(2, 10)], maxPerOrder: 20 });
    const staff = toActor(organizer);
    const people = (await createUsers(15 * 8)).map(toActor);
    let staffWins = 0;
    let holdWins = 0;
    for (let round = 0; round < 15; round++) {
      const seat = places[round].id;
      const crowd = people.slice(round * 8, round * 8 + 8);
      const results = await Promise.all([
        createStaffOrder(staff, event.id, { customer: { email: uniqueEmail("race") }, method: round % 2 ? "CASH" : "COMPLIMENTARY", seatIds: [seat] }),
        ...crowd.map((p) => holdSeats(p, event.id, { seatIds: [seat] })),
      ]);
      const winners = results.filter((r) => r.ok);
      expect(winners, `round ${round}: exactly one winner`).toHaveLength(1);
      if (results[0].ok) staffWins++;
      else holdWins++;
      const [row] = await db().execute<{ status: string; live: number }>(sql`
        SELECT i.status, (SELECT count(*)::int FROM tickets t WHERE t.inventory_id = i.id AND t.status <> 'VOID') AS live
        FROM inventory i WHERE i.id = ${seat}`);
      expect(row).toEqual(results[0].ok ? { status: "SOLD", live: 1 } : { status: "HELD", live: 0 });
    }
    expect(staffWins + holdWins).toBe(15);
    await expectIntegrity(event.id);
  });
});
