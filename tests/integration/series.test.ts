import crypto from "node:crypto";
import { addDays, addHours } from "date-fns";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { getEventDetail, listPublicEvents } from "@/lib/events/queries";
import { holdSeats } from "@/lib/holds";
import { listSeriesDates } from "@/lib/series/read";
import { createRun } from "@/lib/series/run";
import { createTestEvent, createUser, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";

// Runs of the same show: copies of an event at other dates, grouped for customers.

const base = seats(2, 5, 3000);
const stalls = base.kind === "ASSIGNED" ? { ...base, layout: { ...base.layout, wheelchair: ["B:1"] } } : base;

describe("a run of dates", () => {
  it("copies details, sections, layouts, wheelchair spaces and prices to each date, moving times with the start, in one series", async () => {
    const title = `Run ${crypto.randomUUID().slice(0, 8)}`;
    const { event, organizer } = await createTestEvent({ title, sections: [stalls, ga(20, 1500, "Standing")] });
    const d1 = addDays(event.startsAt, 1);
    const d2 = addDays(event.startsAt, 7);
    const r = await createRun(toActor(organizer), event.id, { dates: [d1.toISOString(), d2.toISOString()], publish: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.events).toHaveLength(2);
    const [source] = await db().execute<{ series_id: string }>(sql`SELECT series_id FROM events WHERE id = ${event.id}`);
    expect(source.series_id).toBe(r.seriesId);

    const copy = (await getEventDetail(r.events[1].id))!;
    expect(copy).toMatchObject({ title, seriesId: r.seriesId, capacity: 30, maxPerOrder: event.maxPerOrder, currency: "EUR" });
    expect(copy.startsAt).toBe(d2.toISOString());
    expect(Date.parse(copy.endsAt) - Date.parse(copy.startsAt)).toBe(event.endsAt.getTime() - event.startsAt.getTime());
    expect(copy.saleStartsAt).toBe(event.saleStartsAt.toISOString()); // on sale at once, like the original
    expect(Date.parse(copy.saleEndsAt) - Date.parse(copy.startsAt)).toBe(event.saleEndsAt.getTime() - event.startsAt.getTime());
    expect(copy.sections.map((s) => [s.name, s.kind, s.capacity, s.priceMinor])).toEqual([
      ["Stalls", "ASSIGNED", 10, 3000],
      ["Standing", "GA", 20, 1500],
    ]);
    const [access] = await db().execute<{ wheelchair: string[] }>(sql`
      SELECT json_agg(row_label || seat_number) AS wheelchair FROM inventory WHERE event_id = ${copy.id} AND access = 'WHEELCHAIR'`);
    expect(access.wheelchair).toEqual(["B1"]);
    expect(copy.status).toBe("ON_SALE");

    // Each date sells on its own.
    const buyer = toActor(await createUser());
    // An ordinary assigned seat (not a standing place, not a wheelchair or companion space).
    const seat = (await db().query.inventory.findFirst({
      where: (i, { and, eq, isNotNull, isNull }) => and(eq(i.eventId, copy.id), isNotNull(i.seatNumber), isNull(i.access)),
      orderBy: (i, { asc }) => asc(i.seq),
    }))!;
    expect((await holdSeats(buyer, copy.id, { seatIds: [seat.id] })).ok).toBe(true);
    await expectIntegrity(copy.id);
    await expectIntegrity(event.id);

    const dates = await listSeriesDates(r.seriesId, { publishedOnly: true });
    expect(dates.map((d) => d.id)).toEqual([event.id, r.events[0].id, r.events[1].id]);
  });

  it("lists a series once, by its next date, with the number of dates; single events are unchanged", async () => {
    const title = `Grouped ${crypto.randomUUID().slice(0, 8)}`;
    const { event, organizer } = await createTestEvent({ title });
    const single = await createTestEvent({ title: `${title} solo`, organizer });
    const r = await createRun(toActor(organizer), event.id, {
      dates: [addDays(event.startsAt, 2).toISOString(), addDays(event.startsAt, 3).toISOString()],
      publish: true,
    });
    expect(r.ok).toBe(true);
    const list = await listPublicEvents({ q: title });
    expect(list.total).toBe(2);
    expect(list.items.map((e) => [e.id, e.seriesDates])).toEqual([
      [event.id, 3],
      [single.event.id, 1],
    ]);
    const upcoming = await listPublicEvents({ q: title, filter: "upcoming" });
    expect(upcoming.items.find((e) => e.seriesId)?.id).toBe(event.id);
    // A draft date is not shown to customers and not counted.
    const draft = await createRun(toActor(organizer), event.id, { dates: [addDays(event.startsAt, 4).toISOString()] });
    expect(draft.ok && (await getEventDetail(draft.events[0].id))).toBe(null);
    expect((await listPublicEvents({ q: title })).items[0].seriesDates).toBe(3);
  });

  it("refuses other organizers, past or repeated dates, and the original's own start", async () => {
    const { event, organizer } = await createTestEvent();
    const other = toActor(await createUser("ORGANIZER"));
    const next = addDays(event.startsAt, 1).toISOString();
    expect(await createRun(other, event.id, { dates: [next] })).toMatchObject({ ok: false, code: "not_found" });
    const staff = toActor(organizer);
    expect(await createRun(staff, event.id, { dates: [addHours(new Date(), -1).toISOString()] })).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await createRun(staff, event.id, { dates: [next, next] })).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await createRun(staff, event.id, { dates: [event.startsAt.toISOString()] })).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await createRun(staff, event.id, { dates: [] })).toMatchObject({ ok: false, code: "validation_failed" });
  });
});
