import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { newShortCode } from "@/lib/tickets/short-code";
import { runMigrations } from "@/db/migrate";
import { bookings, checkouts, eventSections, reservations, tickets } from "@/db/schema";
import { freePort, startPostgres } from "@/lib/dev/services";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";

// The database itself holds the invariants it can: these tests write directly, bypassing lib/,
// and expect Postgres to refuse.

async function rejects(p: Promise<unknown>, pattern: RegExp) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "the database accepted a write it must refuse").not.toBeNull();
  const e = err as { message?: string; cause?: { message?: string; constraint_name?: string } };
  expect(`${e.message} ${e.cause?.message ?? ""} ${e.cause?.constraint_name ?? ""}`).toMatch(pattern);
}

async function soldSeatSetup() {
  const customer = await createUser();
  const { event, sections, places } = await createTestEvent({ sections: [seats(1, 2)] });
  const [r] = await db()
    .insert(reservations)
    .values({ eventId: event.id, userId: customer.id, status: "CONFIRMED", currency: "EUR", expiresAt: new Date(Date.now() + 60_000) })
    .returning();
  const [b] = await db()
    .insert(bookings)
    .values({
      reference: `T${crypto.randomUUID().slice(0, 8)}`,
      eventId: event.id,
      userId: customer.id,
      reservationId: r.id,
      amountMinor: 1000,
      currency: "EUR",
    })
    .returning();
  return { event, section: sections[0], place: places[0], booking: b, reservation: r, customer };
}

describe("migrations", () => {
  it("apply to an empty database and are idempotent", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-migrate-"));
    fs.chmodSync(dir, 0o777);
    const pg = await startPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), persistent: false, fast: true });
    try {
      await runMigrations(pg.url);
      await runMigrations(pg.url); // a second start applies nothing new and does not fail
      const client = postgres(pg.url, { max: 1, onnotice: () => {} });
      const tables = await client`select table_name from information_schema.tables where table_schema = 'public' order by 1`;
      await client.end();
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining([
          "users",
          "venues",
          "venue_sections",
          "events",
          "event_sections",
          "inventory",
          "reservations",
          "bookings",
          "tickets",
          "checkouts",
          "payments",
          "mock_ledger",
          "idempotency_keys",
          "audit_log",
        ]),
      );
    } finally {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("constraints", () => {
  it("refuse a second live ticket for the same seat (I1)", async () => {
    const { event, section, place, booking } = await soldSeatSetup();
    const ticket = { bookingId: booking.id, eventId: event.id, sectionId: section.id, inventoryId: place.id, priceMinor: 1000 };
    await db()
      .insert(tickets)
      .values({ ...ticket, code: crypto.randomUUID(), shortCode: newShortCode() });
    await rejects(
      db()
        .insert(tickets)
        .values({ ...ticket, code: crypto.randomUUID(), shortCode: newShortCode() }),
      /tickets_one_live_per_place_idx|duplicate key/,
    );
  });

  it("allow a new ticket once the old one is void (refunded)", async () => {
    const { event, section, place, booking } = await soldSeatSetup();
    const ticket = { bookingId: booking.id, eventId: event.id, sectionId: section.id, inventoryId: place.id, priceMinor: 1000 };
    await db()
      .insert(tickets)
      .values({ ...ticket, code: crypto.randomUUID(), shortCode: newShortCode(), status: "VOID" });
    await db()
      .insert(tickets)
      .values({ ...ticket, code: crypto.randomUUID(), shortCode: newShortCode() });
    const [{ n }] = await db().execute<{ n: number }>(sql`select count(*)::int as n from tickets where inventory_id = ${place.id}`);
    expect(n).toBe(2);
  });

  it("a ticket code the door types is unique within its event, and may repeat in another event", async () => {
    const one = await soldSeatSetup();
    const other = await soldSeatSetup();
    const shortCode = newShortCode();
    const ticket = (s: typeof one) => ({ bookingId: s.booking.id, eventId: s.event.id, sectionId: s.section.id, priceMinor: 1000, shortCode });
    await db()
      .insert(tickets)
      .values({ ...ticket(one), inventoryId: one.place.id, code: crypto.randomUUID() });
    await db()
      .insert(tickets)
      .values({ ...ticket(other), inventoryId: other.place.id, code: crypto.randomUUID() });
    await rejects(
      db()
        .insert(tickets)
        .values({ ...ticket(one), inventoryId: one.place.id, code: crypto.randomUUID(), status: "VOID" }),
      /tickets_event_short_code_idx/,
    );
  });

  it("refuse negative money and quantities", async () => {
    const { event, section, place, booking, reservation, customer } = await soldSeatSetup();
    await rejects(
      db()
        .update(eventSections)
        .set({ priceMinor: -1 })
        .where(sql`id = ${section.id}`),
      /event_sections_price_nonneg/,
    );
    await rejects(
      db()
        .update(eventSections)
        .set({ capacity: 0 })
        .where(sql`id = ${section.id}`),
      /event_sections_capacity_positive/,
    );
    await rejects(
      db()
        .update(bookings)
        .set({ amountMinor: -5 })
        .where(sql`id = ${booking.id}`),
      /bookings_amount_nonneg/,
    );
    await rejects(
      db()
        .update(reservations)
        .set({ quantity: -1 })
        .where(sql`id = ${reservation.id}`),
      /reservations_quantity_nonneg/,
    );
    await rejects(
      db().insert(tickets).values({
        bookingId: booking.id,
        eventId: event.id,
        sectionId: section.id,
        inventoryId: place.id,
        priceMinor: -100,
        code: crypto.randomUUID(),
        shortCode: newShortCode(),
      }),
      /tickets_price_nonneg/,
    );
    await rejects(
      db().insert(checkouts).values({
        reservationId: reservation.id,
        userId: customer.id,
        eventId: event.id,
        amountMinor: -1,
        currency: "EUR",
        provider: "mock",
        providerKey: crypto.randomUUID(),
        deadline: new Date(),
      }),
      /checkouts_amount_nonneg/,
    );
  });

  it("refuse an inconsistent hold and a second open reservation per customer and event", async () => {
    const customer = await createUser();
    const { event, places } = await createTestEvent();
    await rejects(db().execute(sql`update inventory set status = 'HELD' where id = ${places[0].id}`), /inventory_hold_consistent/);
    const open = { eventId: event.id, userId: customer.id, currency: "EUR", expiresAt: new Date(Date.now() + 60_000) };
    await db().insert(reservations).values(open);
    await rejects(db().insert(reservations).values(open), /reservations_one_open_per_user_idx|duplicate key/);
  });

  it("refuse a duplicate email regardless of case", async () => {
    const u = await createUser();
    await rejects(createUser("CUSTOMER", { email: u.email.toUpperCase() }), /users_email_lower_idx|duplicate key/);
  });
});
