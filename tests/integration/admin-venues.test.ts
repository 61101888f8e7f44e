import { addDays, addHours } from "date-fns";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { eventSections, venues, type SectionLayout } from "@/db/schema";
import { orThrow } from "@/lib/errors";
import { createEvent } from "@/lib/events/create";
import { generateSeats } from "@/lib/venues/layout";
import { venueInputSchema, type VenueInput } from "@/lib/venues/schemas";
import { updateVenue } from "@/lib/venues/update";
import { createVenue, getVenue } from "@/lib/venues/venues";
import { createCast } from "@/tests/helpers/fixtures";

// Venues: organizers and admins create them; the organizer who created a venue and admins edit
// it (optimistic locking), nobody else. An event copies the venue's sections when it is
// created, so editing the venue never changes it.

const layout = (rows: number, seatsPerRow: number, extra: Partial<SectionLayout> = {}) =>
  venueInputSchema.shape.sections.element.parse({ kind: "ASSIGNED", name: "Stalls", layout: { rows, seatsPerRow, ...extra } });

const input = (name = "Hall"): VenueInput =>
  venueInputSchema.parse({
    name,
    address: "1 Square",
    sections: [layout(3, 6, { aisles: [3], curve: 0.4, numbering: "rtl" }), { kind: "GA", name: "Floor", capacity: 40 }],
  });

describe("venues", () => {
  it("organizers and admins create venues; customers may not create or edit any", async () => {
    const c = await createCast();
    const { venue: byAdmin } = orThrow(await createVenue(c.admin, input("Admin hall")));
    const { venue: byOrganizer } = orThrow(await createVenue(c.organizer, input("Organizer hall")));
    expect(byOrganizer.createdBy).toBe(c.organizer.id);
    await expect(createVenue(c.customer, input())).rejects.toMatchObject({ code: "forbidden" });
    for (const v of [byAdmin, byOrganizer]) {
      await expect(updateVenue(c.customer, v.id, input("Taken over"), v.version)).rejects.toMatchObject({ code: "forbidden" });
    }
    const [entry] = await db().execute<{ actor_id: string; details: { name: string } }>(
      sql`SELECT actor_id, details FROM audit_log WHERE action = 'venue.create' AND target_id = ${byOrganizer.id}`,
    );
    expect(entry).toEqual({ actor_id: c.organizer.id, details: { name: "Organizer hall" } });
  });

  it("an organizer edits only the venues they created; admins edit every venue", async () => {
    const c = await createCast();
    const { venue: mine } = orThrow(await createVenue(c.organizer, input("Mine")));
    const { venue: admins } = orThrow(await createVenue(c.admin, input("Admin's")));
    // Another organizer, and the organizer on an admin's venue: refused, nothing changed.
    expect(await updateVenue(c.otherOrganizer, mine.id, input("Taken over"), mine.version)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await updateVenue(c.organizer, admins.id, input("Taken over"), admins.version)).toMatchObject({ ok: false, code: "forbidden" });
    expect((await getVenue(mine.id))?.name).toBe("Mine");
    expect((await getVenue(admins.id))?.name).toBe("Admin's");
    // The creator, then an admin on the creator's venue.
    expect(await updateVenue(c.organizer, mine.id, input("Mine, renamed"), mine.version)).toMatchObject({ ok: true, venue: { version: mine.version + 1 } });
    expect(await updateVenue(c.admin, mine.id, input("Mine, by admin"), mine.version + 1)).toMatchObject({ ok: true });
    expect((await getVenue(mine.id))?.name).toBe("Mine, by admin");
    // Demoted to customer: the venue they created is no longer theirs to edit.
    await db().execute(sql`UPDATE users SET role = 'CUSTOMER' WHERE id = ${c.organizer.id}`);
    const demoted = { ...c.organizer, role: "CUSTOMER" as const };
    await expect(updateVenue(demoted, mine.id, input("Back door"), mine.version + 2)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("edits with optimistic locking: a stale version is refused and changes nothing", async () => {
    const c = await createCast();
    const { venue: v } = orThrow(await createVenue(c.admin, input()));
    const ok = await updateVenue(c.admin, v.id, { ...input("Hall 2"), sections: [layout(2, 4)] }, v.version);
    expect(ok).toMatchObject({ ok: true, venue: { name: "Hall 2", version: v.version + 1 } });
    const stale = await updateVenue(c.admin, v.id, input("Hall 3"), v.version);
    expect(stale).toMatchObject({ ok: false, code: "stale_version", currentVersion: v.version + 1 });
    const now = await getVenue(v.id);
    expect(now?.name).toBe("Hall 2");
    expect(now?.sections.map((s) => [s.name, s.capacity])).toEqual([["Stalls", 8]]);
    expect(await updateVenue(c.admin, "00000000-0000-4000-8000-000000000000", input(), 1)).toMatchObject({ ok: false, code: "not_found" });
    expect(await updateVenue(c.admin, "nope", input(), 1)).toMatchObject({ ok: false, code: "not_found" });
  });

  it("refuses a venue over the capacity ceiling", async () => {
    const c = await createCast();
    const { venue: v } = orThrow(await createVenue(c.admin, input()));
    const huge = { ...input(), sections: [layout(200, 500), layout(200, 500)] };
    expect(await updateVenue(c.admin, v.id, huge, v.version)).toMatchObject({ ok: false, code: "validation_failed" });
  });

  it("an event on the venue keeps its copied sections and seats when the venue is edited", async () => {
    const c = await createCast();
    const { venue: v } = orThrow(await createVenue(c.admin, input()));
    const venue = (await getVenue(v.id))!;
    const now = new Date();
    const { event } = orThrow(
      await createEvent(c.organizer, {
        title: "On the registered venue",
        description: "",
        venueId: v.id,
        sections: venue.sections.map((s, i) => ({ venueSectionId: s.id, priceMinor: 1000 + i })),
        startsAt: addDays(now, 5),
        endsAt: addHours(addDays(now, 5), 2),
        saleStartsAt: now,
        saleEndsAt: addDays(now, 4),
        holdMinutes: 10,
        maxPerOrder: 10,
        currency: "EUR",
        publish: true,
      }),
    );
    const before = await db().select().from(eventSections).where(eq(eventSections.eventId, event.id));
    const seatsBefore = await db().execute(sql`SELECT seq, row_label, seat_number, x, y FROM inventory WHERE event_id = ${event.id} ORDER BY seq`);
    // The generator's seats are what the event got (rtl numbering, aisle after seat 3, curve).
    expect(seatsBefore.slice(0, 6).map((s) => s.seat_number)).toEqual(
      generateSeats(venue.sections[0].layout!)
        .slice(0, 6)
        .map((s) => s.seatNumber),
    );

    const r = await updateVenue(c.admin, v.id, { name: "Renamed hall", address: "", sections: [layout(10, 10)] }, v.version);
    expect(r.ok).toBe(true);
    const after = await db().select().from(eventSections).where(eq(eventSections.eventId, event.id));
    const seatsAfter = await db().execute(sql`SELECT seq, row_label, seat_number, x, y FROM inventory WHERE event_id = ${event.id} ORDER BY seq`);
    expect(after).toEqual(before);
    expect(seatsAfter).toEqual(seatsBefore);
    const [e] = await db().execute<{ venue_name: string; capacity: number }>(sql`SELECT venue_name, capacity FROM events WHERE id = ${event.id}`);
    expect(e).toEqual({ venue_name: "Hall", capacity: 58 });
    const [row] = await db().select().from(venues).where(eq(venues.id, v.id));
    expect(row.name).toBe("Renamed hall");
  });
});
