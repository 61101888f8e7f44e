import { addDays, addHours } from "date-fns";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { events } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { orThrow } from "@/lib/errors";
import { createEvent } from "@/lib/events/create";
import { cancelEvent } from "@/lib/events/cancel";
import type { EventUpdateInput } from "@/lib/events/schemas";
import { publishEvent, updateEvent } from "@/lib/events/update";
import { getEventDetail } from "@/lib/events/queries";
import { createTestEvent, ga, seats, createCast } from "@/tests/helpers/fixtures";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { buy } from "@/tests/helpers/purchase";

// Editing, publishing and cancelling events from the organizer area: optimistic locking,
// what may change when, and who may touch which event.

async function draft(organizer: Actor, sections = [seats(2, 4, 1500, "Stalls"), ga(5, 800, "Standing")]) {
  const now = new Date();
  return orThrow(
    await createEvent(organizer, {
      title: "Draft show",
      description: "",
      venue: { name: "Back room", address: "1 Lane" },
      sections,
      startsAt: addDays(now, 20),
      endsAt: addHours(addDays(now, 20), 2),
      saleStartsAt: addDays(now, -1),
      saleEndsAt: addDays(now, 19),
      holdMinutes: 10,
      maxPerOrder: 6,
      currency: "EUR",
      publish: false,
    }),
  ).event;
}

function edit(e: typeof events.$inferSelect, over: Partial<EventUpdateInput> = {}): EventUpdateInput {
  return {
    version: e.version,
    title: e.title,
    description: e.description,
    imageUrl: e.imageUrl ?? undefined,
    startsAt: e.startsAt,
    endsAt: e.endsAt,
    saleStartsAt: e.saleStartsAt,
    saleEndsAt: e.saleEndsAt,
    holdMinutes: e.holdSeconds / 60,
    maxPerOrder: e.maxPerOrder,
    currency: e.currency.trim(),
    ...over,
  };
}

const countPlaces = async (eventId: string) =>
  (await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM inventory WHERE event_id = ${eventId}`))[0].n;

describe("updateEvent", () => {
  it("saves an edit and bumps the version; a second save from the same stale form is refused", async () => {
    const c = await createCast();
    const e = await draft(c.organizer);
    const first = await updateEvent(c.organizer, e.id, edit(e, { title: "Renamed", maxPerOrder: 4, holdMinutes: 5 }));
    expect(first).toMatchObject({ ok: true, event: { title: "Renamed", maxPerOrder: 4, holdSeconds: 300, version: e.version + 1 } });
    const second = await updateEvent(c.admin, e.id, edit(e, { title: "Someone else's idea" }));
    expect(second).toMatchObject({ ok: false, code: "stale_version", currentVersion: e.version + 1 });
    expect(second.ok ? "" : second.message).toMatch(/changed by someone else/);
    const [row] = await db().select().from(events).where(eq(events.id, e.id));
    expect(row.title).toBe("Renamed");
  });

  it("two simultaneous saves of one version: exactly one wins", async () => {
    const c = await createCast();
    const e = await draft(c.organizer);
    const results = await Promise.all([updateEvent(c.organizer, e.id, edit(e, { title: "A" })), updateEvent(c.admin, e.id, edit(e, { title: "B" }))]);
    expect(results.map((r) => (r.ok ? "ok" : r.code)).sort()).toEqual(["ok", "stale_version"]);
  });

  it("a draft's sections can be replaced: places are rebuilt and capacity follows", async () => {
    const c = await createCast();
    const e = await draft(c.organizer);
    expect(await countPlaces(e.id)).toBe(13);
    const r = await updateEvent(c.organizer, e.id, edit(e, { sections: [seats(3, 5, 2000, "Balcony")], venue: { name: "Big room", address: "" } }));
    expect(r).toMatchObject({ ok: true, event: { capacity: 15, venueName: "Big room" } });
    expect(await countPlaces(e.id)).toBe(15);
    const detail = await getEventDetail(e.id, c.organizer);
    expect(detail?.sections.map((s) => [s.name, s.capacity, s.priceMinor])).toEqual([["Balcony", 15, 2000]]);
    await expectIntegrity(e.id);
  });

  it("after publication (and sales), changing sections or currency is refused; details still change", async () => {
    const c = await createCast();
    const { event, places } = await createTestEvent({ organizer: c.organizerUser, sections: [seats(2, 5, 1000)] });
    await buy(c.customer, event.id, { seatIds: [places[0].id] });
    const fresh = (await db().select().from(events).where(eq(events.id, event.id)))[0];
    const sections = await updateEvent(c.organizer, event.id, edit(fresh, { sections: [seats(1, 5, 1000)] }));
    expect(sections).toMatchObject({ ok: false, code: "conflict", fields: { sections: [expect.any(String)] } });
    const price = await updateEvent(c.organizer, event.id, edit(fresh, { sections: [seats(2, 5, 1)] }));
    expect(price).toMatchObject({ ok: false, code: "conflict" });
    const currency = await updateEvent(c.organizer, event.id, edit(fresh, { currency: "USD" }));
    expect(currency).toMatchObject({ ok: false, code: "conflict", fields: { currency: [expect.any(String)] } });
    // Resubmitting the same sections is not a change.
    const same = await updateEvent(c.organizer, event.id, edit(fresh, { title: "Still on", sections: [seats(2, 5, 1000)] }));
    expect(same).toMatchObject({ ok: true, event: { title: "Still on" } });
    expect(await countPlaces(event.id)).toBe(10);
    await expectIntegrity(event.id);
  });

  it("moving the sale window updates the lifecycle status at once", async () => {
    const c = await createCast();
    const { event } = await createTestEvent({ organizer: c.organizerUser });
    expect(event.status).toBe("ON_SALE");
    const later = addDays(new Date(), 3);
    const r = await updateEvent(c.organizer, event.id, edit(event, { saleStartsAt: later }));
    expect(r).toMatchObject({ ok: true, event: { status: "UPCOMING" } });
  });

  it("cancelled events cannot be edited or published", async () => {
    const c = await createCast();
    const { event } = await createTestEvent({ organizer: c.organizerUser });
    expect(await cancelEvent(c.organizer, event.id)).toMatchObject({ ok: true });
    const fresh = (await db().select().from(events).where(eq(events.id, event.id)))[0];
    expect(await updateEvent(c.organizer, event.id, edit(fresh))).toMatchObject({ ok: false, code: "conflict" });
    expect(await publishEvent(c.organizer, event.id)).toMatchObject({ ok: false, code: "conflict" });
  });
});

describe("publishEvent", () => {
  it("makes a draft visible to customers, once", async () => {
    const c = await createCast();
    const e = await draft(c.organizer);
    expect(await getEventDetail(e.id, c.customer)).toBeNull();
    const r = await publishEvent(c.organizer, e.id);
    expect(r).toMatchObject({ ok: true, alreadyPublished: false, event: { status: "ON_SALE", version: e.version + 1 } });
    expect(await getEventDetail(e.id, c.customer)).not.toBeNull();
    expect(await publishEvent(c.admin, e.id)).toMatchObject({ ok: true, alreadyPublished: true });
    const [audit] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'event.publish' AND target_id = ${e.id}`);
    expect(audit.n).toBe(1);
  });
});

describe("cancel with refunds", () => {
  it("cancels the event, refunds every booking exactly once and records who did it", async () => {
    const c = await createCast();
    const { event, places } = await createTestEvent({ organizer: c.organizerUser, sections: [seats(2, 5, 1200)] });
    await buy(c.customer, event.id, { seatIds: [places[0].id, places[1].id] });
    await buy(c.otherCustomer, event.id, { seatIds: [places[2].id] });
    const r = await cancelEvent(c.organizer, event.id);
    expect(r).toMatchObject({ ok: true, bookingsCancelled: 2, alreadyCancelled: false });
    expect(await cancelEvent(c.admin, event.id)).toMatchObject({ ok: true, alreadyCancelled: true, bookingsCancelled: 0 });
    const l = await expectLedgerBalanced(event.id);
    expect(l).toMatchObject({ charged: 3600, refunded: 3600, refunds: 2 });
    expect((await ledger(event.id)).refunds).toBe(2);
    const audit = await db().execute<{ action: string; actor_id: string }>(sql`
      SELECT action, actor_id FROM audit_log WHERE target_id = ${event.id}
         OR target_id IN (SELECT id::text FROM bookings WHERE event_id = ${event.id}) ORDER BY id`);
    expect(audit.map((a) => a.action).sort()).toEqual(["booking.refund", "booking.refund", "event.cancel"]);
    expect(new Set(audit.map((a) => a.actor_id))).toEqual(new Set([c.organizer.id]));
    await expectIntegrity(event.id);
  });
});

describe("ownership: an organizer cannot touch another organizer's event; customers nothing", () => {
  it("every event operation answers not_found to the other organizer and forbidden to customers", async () => {
    const c = await createCast();
    const e = await draft(c.organizer);
    const input = edit(e, { title: "Hijacked" });
    for (const outsider of [c.otherOrganizer]) {
      expect(await updateEvent(outsider, e.id, input)).toMatchObject({ ok: false, code: "not_found" });
      expect(await publishEvent(outsider, e.id)).toMatchObject({ ok: false, code: "not_found" });
      expect(await cancelEvent(outsider, e.id)).toMatchObject({ ok: false, code: "not_found" });
    }
    for (const customer of [c.customer, c.otherCustomer]) {
      await expect(updateEvent(customer, e.id, input)).rejects.toMatchObject({ code: "forbidden" });
      await expect(publishEvent(customer, e.id)).rejects.toMatchObject({ code: "forbidden" });
      expect(await cancelEvent(customer, e.id)).toMatchObject({ ok: false, code: "not_found" });
    }
    const [row] = await db().select().from(events).where(eq(events.id, e.id));
    expect(row).toMatchObject({ title: "Draft show", publishedAt: null, status: e.status, version: e.version });
    // The admin may do all of it.
    expect(await updateEvent(c.admin, e.id, edit(e, { title: "Admin fix" }))).toMatchObject({ ok: true });
  });
});
