import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import type { CustomSectionInput } from "@/lib/events/schemas";
import { toActor } from "@/lib/auth/users";
import { createStaffOrder } from "@/lib/box-office/order";
import { checkInTicket } from "@/lib/checkin";
import { confirmCheckout } from "@/lib/checkout";
import { exportEventCsv } from "@/lib/dashboard/export";
import { getEventDashboard } from "@/lib/dashboard/stats";
import { getEventDetail } from "@/lib/events/queries";
import { loadBookingView } from "@/lib/bookings/views";
import { createRun } from "@/lib/series/run";
import { createTicketType, listTicketTypes, retireTicketType, updateTicketType } from "@/lib/ticket-types/manage";
import { checkoutChoices } from "@/lib/ticket-types/read";
import type { TicketTypeRequest } from "@/lib/ticket-types/schemas";
import { createCast, createTestEvent, createUser, createUsers, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { hold } from "@/tests/helpers/purchase";
import { newKey, pay } from "@/tests/helpers/payments";

// Ticket types (lib/ticket-types, docs/box-office.md): price categories per event, chosen per
// place at checkout, priced as in force when the hold began, limits exact under concurrency.
// Real PostgreSQL and Redis; the race uses the pool's separate connections.

async function typedEvent(opts: { limit?: number | null; sections?: CustomSectionInput[] } = {}) {
  const made = await createTestEvent({ sections: opts.sections ?? [seats(2, 10, 4000, "Stalls"), ga(30, 2500, "Standing")], maxPerOrder: 10 });
  const staff = toActor(made.organizer);
  const [stalls, standing] = made.sections;
  const type = async (req: TicketTypeRequest) => {
    const r = await createTicketType(staff, made.event.id, req);
    if (!r.ok) throw new Error(`${r.code} ${r.message} ${JSON.stringify(r.fields)}`);
    return r.ticketType;
  };
  const adult = await type({
    name: "Adult",
    sortOrder: 0,
    prices: [{ sectionId: stalls.id, priceMinor: 4000 }, ...(standing ? [{ sectionId: standing.id, priceMinor: 2500 }] : [])],
  });
  const child = await type({ name: "Child", note: "Under 14", sortOrder: 1, prices: [{ sectionId: stalls.id, priceMinor: 2000 }] });
  const concession = await type({
    name: "Concession",
    note: "ID required",
    sortOrder: 2,
    limit: opts.limit ?? null,
    prices: [{ sectionId: stalls.id, priceMinor: 3000 }, ...(standing ? [{ sectionId: standing.id, priceMinor: 1800 }] : [])],
  });
  return { ...made, staff, adult, child, concession, stalls, standing };
}

async function payFor(who: Actor, reservationId: string, ticketTypes?: { inventoryId: number; ticketTypeId: string }[]) {
  return confirmCheckout(who, { reservationId, payment: pay("success"), ...(ticketTypes ? { ticketTypes } : {}) }, newKey());
}

const ticketsOf = (bookingId: string) =>
  db().execute<{ inventory_id: number; price_minor: number; type: string | null }>(sql`
    SELECT t.inventory_id::int AS inventory_id, t.price_minor, ty.name AS type FROM tickets t LEFT JOIN ticket_types ty ON ty.id = t.ticket_type_id
    WHERE t.booking_id = ${bookingId} ORDER BY t.inventory_id`);

describe("ticket types", () => {
  it("a customer picks a type per held seat; booking, tickets and amounts carry it", async () => {
    const { event, places, adult, child, staff } = await typedEvent();
    const buyer = toActor(await createUser());
    const r = await hold(buyer, event.id, { seatIds: [places[0].id, places[1].id] });
    const choices = await checkoutChoices(r.id);
    expect(choices.map((c) => c.options.map((o) => `${o.name} ${o.priceMinor}`))).toEqual([
      ["Adult 4000", "Child 2000", "Concession 3000"],
      ["Adult 4000", "Child 2000", "Concession 3000"],
    ]);
    const paid = await payFor(buyer, r.id, [
      { inventoryId: places[0].id, ticketTypeId: adult.id },
      { inventoryId: places[1].id, ticketTypeId: child.id },
    ]);
    expect(paid.ok).toBe(true);
    if (!paid.ok) return;
    expect(paid.booking.amountMinor).toBe(6000);
    expect(paid.booking.tickets.map((t) => [t.ticketTypeName, t.priceMinor])).toEqual([
      ["Adult", 4000],
      ["Child", 2000],
    ]);
    expect(await ticketsOf(paid.booking.id)).toEqual([
      { inventory_id: places[0].id, price_minor: 4000, type: "Adult" },
      { inventory_id: places[1].id, price_minor: 2000, type: "Child" },
    ]);
    // The door sees the type (a Child ticket may need an age check).
    expect(await checkInTicket(staff, event.id, paid.booking.tickets[1].qrPayload)).toMatchObject({ outcome: "valid", ticket: { ticketTypeName: "Child" } });
    await expectIntegrity(event.id);
  });

  it("without a choice a place gets its section's first type; a section without types sells at its own price", async () => {
    const { event, places, sections, staff } = await typedEvent({ sections: [seats(1, 4, 4000, "Stalls"), ga(10, 2500, "Standing"), ga(5, 900, "Gallery")] });
    // Standing's first type by order is Adult (2500); Gallery has no types at all.
    await updateTicketType(staff, event.id, (await listTicketTypes(staff, event.id).then((l) => (l.ok ? l.items : [])))[0].id, {
      name: "Adult",
      sortOrder: 5,
      prices: [
        { sectionId: sections[0].id, priceMinor: 4000 },
        { sectionId: sections[1].id, priceMinor: 2500 },
      ],
    });
    const buyer = toActor(await createUser());
    const seat = await hold(buyer, event.id, { seatIds: [places[0].id] });
    const paid = await payFor(buyer, seat.id);
    expect(paid.ok && paid.booking.tickets.map((t) => [t.ticketTypeName, t.priceMinor])).toEqual([["Child", 2000]]); // Child now sorts first
    const other = toActor(await createUser());
    const gallery = await hold(other, event.id, { sectionId: sections[2].id, quantity: 2 });
    const free = await payFor(other, gallery.id);
    expect(free.ok && free.booking.tickets.map((t) => [t.ticketTypeName, t.ticketTypeId, t.priceMinor])).toEqual([
      [null, null, 900],
      [null, null, 900],
    ]);
    await expectIntegrity(event.id);
  });

  it("a price changed after a hold leaves the held seat at the old price; holds made after pay the new one", async () => {
    const { event, places, staff, stalls, standing, child } = await typedEvent();
    const early = toActor(await createUser());
    const held = await hold(early, event.id, { seatIds: [places[0].id] });
    const changed = await updateTicketType(staff, event.id, child.id, {
      name: "Child",
      note: "Under 14",
      sortOrder: 1,
      prices: [{ sectionId: stalls.id, priceMinor: 2600 }],
    });
    expect(changed).toMatchObject({ ok: true, ticketType: { prices: [{ sectionId: stalls.id, priceMinor: 2600 }] } });
    // A type created after the hold is not offered to it.
    const late = await createTicketType(staff, event.id, {
      name: "Student",
      prices: [
        { sectionId: stalls.id, priceMinor: 100 },
        { sectionId: standing.id, priceMinor: 100 },
      ],
    });
    expect(late.ok).toBe(true);
    if (!late.ok) return;
    expect(await payFor(early, held.id, [{ inventoryId: places[0].id, ticketTypeId: late.ticketType.id }])).toMatchObject({
      ok: false,
      code: "validation_failed",
      fields: { ticketTypes: [expect.stringContaining(String(places[0].id))] },
    });
    const kept = await payFor(early, held.id, [{ inventoryId: places[0].id, ticketTypeId: child.id }]);
    expect(kept.ok && kept.booking.tickets.map((t) => t.priceMinor)).toEqual([2000]);

    const after = toActor(await createUser());
    const second = await hold(after, event.id, { seatIds: [places[1].id] });
    const newer = await payFor(after, second.id, [{ inventoryId: places[1].id, ticketTypeId: child.id }]);
    expect(newer.ok && newer.booking.tickets.map((t) => t.priceMinor)).toEqual([2600]);
    // Sold tickets never change, and the versions are immutable rows.
    await expect(db().execute(sql`UPDATE ticket_type_prices SET price_minor = 1 WHERE ticket_type_id = ${child.id}`)).rejects.toThrow();
    expect(kept.ok && (await ticketsOf(kept.booking.id))[0].price_minor).toBe(2000);
    await expectIntegrity(event.id);
  });

  it("a retired type is offered to no new hold; one held before keeps it", async () => {
    const { event, places, staff, concession } = await typedEvent();
    const early = toActor(await createUser());
    const held = await hold(early, event.id, { seatIds: [places[0].id] });
    expect(await retireTicketType(staff, event.id, concession.id)).toMatchObject({ ok: true, ticketType: { retiredAt: expect.any(String) } });
    const late = toActor(await createUser());
    const lateHold = await hold(late, event.id, { seatIds: [places[1].id] });
    expect(await payFor(late, lateHold.id, [{ inventoryId: places[1].id, ticketTypeId: concession.id }])).toMatchObject({
      ok: false,
      code: "validation_failed",
    });
    const kept = await payFor(early, held.id, [{ inventoryId: places[0].id, ticketTypeId: concession.id }]);
    expect(kept.ok && kept.booking.tickets.map((t) => [t.ticketTypeName, t.priceMinor])).toEqual([["Concession", 3000]]);
    expect((await getEventDetail(event.id))!.ticketTypes.map((t) => t.name)).toEqual(["Adult", "Child"]);
  });

  it("refuses choices for places not in the reservation, types of another event, and types not offered in the section", async () => {
    const { event, places, child, sections } = await typedEvent();
    const other = await typedEvent();
    const buyer = toActor(await createUser());
    const r = await hold(buyer, event.id, { seatIds: [places[0].id] });
    const gaHold = await hold(toActor(await createUser()), event.id, { sectionId: sections[1].id, quantity: 1 });
    for (const choice of [
      { inventoryId: places[5].id, ticketTypeId: child.id },
      { inventoryId: places[0].id, ticketTypeId: other.child.id },
    ]) {
      expect(await payFor(buyer, r.id, [choice])).toMatchObject({ ok: false, code: "validation_failed", fields: { ticketTypes: expect.any(Array) } });
    }
    // Child is offered in the stalls only.
    const [gaPlace] = gaHold.items;
    const gaBuyer = await db().execute<{ user_id: string }>(sql`SELECT user_id FROM reservations WHERE id = ${gaHold.id}`);
    const gaActor = toActor((await db().query.users.findFirst({ where: (u, { eq }) => eq(u.id, gaBuyer[0].user_id) }))!);
    expect(await payFor(gaActor, gaHold.id, [{ inventoryId: gaPlace.inventoryId, ticketTypeId: child.id }])).toMatchObject({
      ok: false,
      code: "validation_failed",
    });
    // Nothing was charged or started: the reservations are still active.
    const open = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM checkouts WHERE reservation_id IN (${r.id}, ${gaHold.id})`);
    expect(open[0].n).toBe(0);
  });

  it("organizers manage their own events' types only, with field-level refusals", async () => {
    const cast = await createCast();
    const { event, sections } = await createTestEvent({ organizer: cast.organizerUser, sections: [seats(1, 4, 1000)] });
    const body = { name: "Adult", prices: [{ sectionId: sections[0].id, priceMinor: 1000 }] };
    expect(await createTicketType(cast.otherOrganizer, event.id, body)).toMatchObject({ ok: false, code: "not_found" });
    await expect(createTicketType(cast.customer, event.id, body)).rejects.toMatchObject({ code: "forbidden" });
    const made = await createTicketType(cast.organizer, event.id, body);
    expect(made.ok).toBe(true);
    expect(await createTicketType(cast.admin, event.id, { ...body, name: "adult" })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fields: { name: expect.any(Array) },
    });
    expect(await createTicketType(cast.organizer, event.id, { name: "X", prices: [{ sectionId: crypto.randomUUID(), priceMinor: 1 }] })).toMatchObject({
      ok: false,
      fields: { "prices.0.sectionId": expect.any(Array) },
    });
    expect(await createTicketType(cast.organizer, event.id, { name: "", prices: [] } as TicketTypeRequest)).toMatchObject({
      ok: false,
      fields: { name: expect.any(Array), prices: expect.any(Array) },
    });
    const audit = await db().execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'ticket_type.create' AND target_id = ${event.id}`,
    );
    expect(audit[0].n).toBe(1);
  });

  it("per-type limits are exact when customers race for the last tickets, and a limit below what is taken is refused", async () => {
    const LIMIT = 5;
    const { event, places, concession, staff, stalls, standing } = await typedEvent({ limit: LIMIT });
    const buyers = (await createUsers(9)).map(toActor);
    // Everyone holds two seats first, then all pay at once, each wanting Concession for both.
    const holds = await Promise.all(buyers.map((b, i) => hold(b, event.id, { seatIds: [places[2 * i].id, places[2 * i + 1].id] })));
    const results = await Promise.all(
      holds.map((h, i) =>
        payFor(
          buyers[i],
          h.id,
          h.items.map((it) => ({ inventoryId: it.inventoryId, ticketTypeId: concession.id })),
        ),
      ),
    );
    const won = results.filter((r) => r.ok).length;
    expect(won).toBe(2); // 2 × 2 = 4 of 5; a third pair would make 6
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ code: "sold_out", available: 1 });
    // The one left goes to exactly one of two more racers.
    const loser = results.findIndex((r) => !r.ok);
    const loser2 = results.findIndex((r, i) => !r.ok && i !== loser);
    const last = await Promise.all(
      [loser, loser2].map((i) => payFor(buyers[i], holds[i].id, [{ inventoryId: holds[i].items[0].inventoryId, ticketTypeId: concession.id }])),
    );
    expect(last.filter((r) => r.ok)).toHaveLength(1);
    const [count] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM tickets WHERE ticket_type_id = ${concession.id} AND status <> 'VOID'`);
    expect(count.n).toBe(LIMIT);
    expect(
      await updateTicketType(staff, event.id, concession.id, {
        name: "Concession",
        limit: 4,
        prices: [
          { sectionId: stalls.id, priceMinor: 3000 },
          { sectionId: standing.id, priceMinor: 1800 },
        ],
      }),
    ).toMatchObject({ ok: false, code: "validation_failed", fields: { limit: [expect.stringContaining("5")] } });
    await expectIntegrity(event.id);
  });

  it("box-office staff choose the type too, within its limit", async () => {
    const { event, places, staff, child, concession } = await typedEvent({ limit: 1 });
    const sold = await createStaffOrder(staff, event.id, {
      customer: { email: `desk-${crypto.randomUUID().slice(0, 6)}@example.test` },
      method: "CASH",
      seatIds: [places[0].id, places[1].id],
      ticketTypeId: child.id,
    });
    expect(sold).toMatchObject({ ok: true, amountMinor: 4000 });
    if (sold.ok) expect((await ticketsOf(sold.bookingId)).map((t) => t.type)).toEqual(["Child", "Child"]);
    const over = await createStaffOrder(staff, event.id, {
      customer: { email: `desk-${crypto.randomUUID().slice(0, 6)}@example.test` },
      method: "CASH",
      seatIds: [places[2].id, places[3].id],
      ticketTypeId: concession.id,
    });
    expect(over).toMatchObject({ ok: false, code: "sold_out", available: 1 });
    const plain = await createStaffOrder(staff, event.id, {
      customer: { email: `desk-${crypto.randomUUID().slice(0, 6)}@example.test` },
      method: "COMPLIMENTARY",
      seatIds: [places[4].id],
    });
    expect(plain).toMatchObject({ ok: true, amountMinor: 0 });
    if (plain.ok) expect((await ticketsOf(plain.bookingId)).map((t) => t.type)).toEqual(["Adult"]);
    await expectIntegrity(event.id);
  });

  it("a box-office order takes a type per seat, priced and limited as the checkout does; the booking, tickets and CSV carry each seat's type", async () => {
    const { event, places, staff, adult, child, concession } = await typedEvent({ limit: 1 });
    const email = () => `desk-${crypto.randomUUID().slice(0, 6)}@example.test`;
    // Two seats Child, one Concession, one left to the order's type (Adult): one order.
    const sold = await createStaffOrder(staff, event.id, {
      customer: { email: email() },
      method: "CASH",
      seatIds: [places[0].id, places[1].id, places[2].id, places[3].id],
      ticketTypeId: adult.id,
      ticketTypes: [
        { inventoryId: places[1].id, ticketTypeId: child.id },
        { inventoryId: places[2].id, ticketTypeId: concession.id },
        { inventoryId: places[3].id, ticketTypeId: child.id },
      ],
    });
    expect(sold).toMatchObject({ ok: true, amountMinor: 4000 + 2000 + 3000 + 2000, places: 4 });
    if (!sold.ok) return;
    expect(sold.items.map((i) => [i.inventoryId, i.ticketTypeId, i.priceMinor])).toEqual([
      [places[0].id, adult.id, 4000],
      [places[1].id, child.id, 2000],
      [places[2].id, concession.id, 3000],
      [places[3].id, child.id, 2000],
    ]);
    expect((await ticketsOf(sold.bookingId)).map((t) => [t.inventory_id, t.type, t.price_minor])).toEqual([
      [places[0].id, "Adult", 4000],
      [places[1].id, "Child", 2000],
      [places[2].id, "Concession", 3000],
      [places[3].id, "Child", 2000],
    ]);
    const view = (await loadBookingView(db(), sold.bookingId))!;
    expect(view.amountMinor).toBe(11000);
    expect(view.tickets.map((t) => [t.ticketTypeName, t.priceMinor])).toEqual([
      ["Adult", 4000],
      ["Child", 2000],
      ["Concession", 3000],
      ["Child", 2000],
    ]);
    const attendees = (await exportEventCsv(staff, event.id, "attendees"))!.body.split("\r\n");
    expect(attendees.filter((l) => l.includes('"Child","20.00"'))).toHaveLength(2);
    expect(attendees.filter((l) => l.includes('"Concession","30.00"'))).toHaveLength(1);
    expect((await exportEventCsv(staff, event.id, "bookings"))!.body).toContain('"4","Adult x1; Child x2; Concession x1","110.00"');

    // The limited type's one place is taken: a per-seat Concession is refused, nothing sold.
    const over = await createStaffOrder(staff, event.id, {
      customer: { email: email() },
      method: "CASH",
      seatIds: [places[4].id, places[5].id],
      ticketTypes: [{ inventoryId: places[5].id, ticketTypeId: concession.id }],
    });
    expect(over).toMatchObject({ ok: false, code: "sold_out", available: 0 });
    // A type for a seat not in the order: the field says which.
    const stray = await createStaffOrder(staff, event.id, {
      customer: { email: email() },
      method: "CASH",
      seatIds: [places[4].id],
      ticketTypes: [{ inventoryId: places[6].id, ticketTypeId: child.id }],
    });
    expect(stray).toMatchObject({ ok: false, code: "validation_failed", fields: { ticketTypes: [expect.stringContaining(String(places[6].id))] } });
    const [free] = await db().execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM inventory WHERE id IN (${places[4].id}, ${places[5].id}) AND status = 'AVAILABLE'`,
    );
    expect(free.n).toBe(2);
    await expectIntegrity(event.id);
  });

  it("the dashboard, the CSV exports and a run of dates carry the types", async () => {
    const { event, places, adult, child, staff } = await typedEvent();
    const buyer = toActor(await createUser());
    const r = await hold(buyer, event.id, { seatIds: [places[0].id, places[1].id, places[2].id] });
    const paid = await payFor(buyer, r.id, [
      { inventoryId: places[0].id, ticketTypeId: adult.id },
      { inventoryId: places[1].id, ticketTypeId: child.id },
      { inventoryId: places[2].id, ticketTypeId: child.id },
    ]);
    expect(paid.ok).toBe(true);
    const dash = (await getEventDashboard(staff, event.id))!;
    expect(dash.ticketTypes.map((t) => [t.name, t.sold, t.revenueMinor])).toEqual([
      ["Adult", 1, 4000],
      ["Child", 2, 4000],
      ["Concession", 0, 0],
    ]);
    const attendees = (await exportEventCsv(staff, event.id, "attendees"))!.body.split("\r\n");
    expect(attendees[0]).toContain('"seat","ticket_type","price"');
    expect(attendees.filter((l) => l.includes('"Child","20.00"'))).toHaveLength(2);
    const bookings = (await exportEventCsv(staff, event.id, "bookings"))!.body;
    expect(bookings).toContain('"3","Adult x1; Child x2","80.00"');

    const run = await createRun(staff, event.id, { dates: [new Date(event.startsAt.getTime() + 86_400_000).toISOString()], publish: true });
    expect(run.ok).toBe(true);
    if (!run.ok) return;
    const copy = (await getEventDetail(run.events[0].id))!;
    expect(copy.ticketTypes.map((t) => [t.name, t.note, t.prices.map((p) => [p.sectionName, p.priceMinor])])).toEqual([
      [
        "Adult",
        "",
        [
          ["Stalls", 4000],
          ["Standing", 2500],
        ],
      ],
      ["Child", "Under 14", [["Stalls", 2000]]],
      [
        "Concession",
        "ID required",
        [
          ["Stalls", 3000],
          ["Standing", 1800],
        ],
      ],
    ]);
    await expectIntegrity(event.id);
  });
});
