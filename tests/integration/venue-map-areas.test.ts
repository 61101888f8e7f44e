import { addDays, addHours } from "date-fns";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { stadiumVenue } from "@/lib/dev/seed";
import { orThrow } from "@/lib/errors";
import { createEvent } from "@/lib/events/create";
import { getSeatLayout } from "@/lib/inventory";
import { readSeatLayout } from "@/lib/inventory/layout";
import { stageAbove } from "@/lib/seatmap/areas";
import { buildSeatModel } from "@/lib/seatmap/model";
import { venueInputSchema } from "@/lib/venues/schemas";
import { createVenue } from "@/lib/venues/venues";
import { createCast } from "@/tests/helpers/fixtures";

// A stadium drawn as a stadium: stands turned towards a standing pitch, the pitch a
// general-admission area on the map. The area travels from the venue's template to the event
// and into the seat layout the map reads; only general admission may have one.

/** An event at a venue: the demo stadium, or a small hall with a standing floor drawn beside its seats. */
async function stadiumEvent(which: "stadium" | "hall" = "stadium") {
  const c = await createCast();
  const hall = {
    name: "Hall",
    sections: [
      { kind: "ASSIGNED", name: "Stalls", layout: { rows: 2, seatsPerRow: 4 } },
      { kind: "GA", name: "Floor", capacity: 10, area: { x: 0, y: 0, width: 202, height: 160 } },
    ],
  };
  const { venue } = orThrow(await createVenue(c.admin, venueInputSchema.parse(which === "stadium" ? stadiumVenue() : hall)));
  const ids = await db().execute<{ id: string }>(sql`SELECT id FROM venue_sections WHERE venue_id = ${venue.id} ORDER BY sort_order`);
  const now = new Date();
  const { event } = orThrow(
    await createEvent(c.organizer, {
      title: "Stadium night",
      description: "",
      venueId: venue.id,
      sections: ids.map((r, i) => ({ venueSectionId: r.id, priceMinor: 5000 + i })),
      startsAt: addDays(now, 30),
      endsAt: addHours(addDays(now, 30), 3),
      saleStartsAt: addDays(now, -1),
      saleEndsAt: addDays(now, 30),
      holdMinutes: 10,
      maxPerOrder: 8,
      currency: "EUR",
      publish: true,
    }),
  );
  return { event, venue };
}

describe("the stadium on the map", () => {
  it("puts the four stands around the pitch, each facing it, and the pitch on the map as an area", async () => {
    const { event } = await stadiumEvent();
    const layout = (await getSeatLayout(event.id))!;
    const pitch = layout.sections.find((s) => s.kind === "GA")!;
    expect(pitch.area).toEqual({ x: 0, y: 0, width: 202, height: 160 });
    expect(layout.sections.filter((s) => s.kind === "ASSIGNED").every((s) => s.area === null)).toBe(true);

    const model = buildSeatModel(layout);
    const a = pitch.area!;
    const centre = { x: a.x + a.width / 2, y: a.y + a.height / 2 };
    const side = { "North Stand": [0, -1], "East Stand": [1, 0], "South Stand": [0, 1], "West Stand": [-1, 0] } as const;
    for (const [name, [dx, dy]] of Object.entries(side)) {
      const si = layout.sections.findIndex((s) => s.name === name);
      const rows = model.sectionRows[si].map((ri) => model.rows[ri]);
      const mid = (seqs: number[]) => ({ x: avg(seqs.map((q) => model.xs[q])), y: avg(seqs.map((q) => model.ys[q])) });
      const front = mid(rows[0].seqs);
      const back = mid(rows[rows.length - 1].seqs);
      // On its side of the pitch, outside it, its front row nearer the pitch than its back row.
      expect((front.x - centre.x) * dx + (front.y - centre.y) * dy, name).toBeGreaterThan(0);
      const outside = front.x < a.x || front.x > a.x + a.width || front.y < a.y || front.y > a.y + a.height;
      expect(outside, name).toBe(true);
      expect(Math.hypot(front.x - centre.x, front.y - centre.y)).toBeLessThan(Math.hypot(back.x - centre.x, back.y - centre.y));
    }
    // No seat sits on the pitch or on another stand's seat.
    const taken = new Set<string>();
    for (let seq = 0; seq < model.count; seq++) {
      if (Number.isNaN(model.xs[seq])) continue;
      const [x, y] = [model.xs[seq], model.ys[seq]];
      expect(x > a.x && x < a.x + a.width && y > a.y && y < a.y + a.height).toBe(false);
      const key = `${Math.round(x * 2)}:${Math.round(y * 2)}`;
      expect(taken.has(key)).toBe(false);
      taken.add(key);
    }
    // Stands facing four ways have no one stage side: the map draws the pitch, not a stage above.
    expect(stageAbove(model)).toBe(false);
  });

  it("copies the area from the venue to the event, and the event keeps it when the venue moves it later", async () => {
    const { event, venue } = await stadiumEvent("hall");
    await db().execute(sql`UPDATE venue_sections SET map_area = '{"x":1,"y":1,"width":5,"height":5}' WHERE venue_id = ${venue.id} AND kind = 'GA'`);
    const layout = await readSeatLayout(event.id);
    expect(layout?.layout?.sections.find((s) => s.kind === "GA")?.area).toEqual({ x: 0, y: 0, width: 202, height: 160 });
  });

  it("refuses an area on a section of assigned seats, in the database as in the form", async () => {
    const { event } = await stadiumEvent("hall");
    await expect(
      db().execute(sql`UPDATE event_sections SET map_area = '{"x":0,"y":0,"width":5,"height":5}' WHERE event_id = ${event.id} AND kind = 'ASSIGNED'`),
    ).rejects.toMatchObject({ cause: { constraint_name: "event_sections_area_for_ga" } });
    const parsed = venueInputSchema.safeParse({
      name: "Hall",
      sections: [{ kind: "GA", name: "Floor", capacity: 10, area: { x: 0, y: 0, width: 0, height: 5 } }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path).toEqual(["sections", 0, "area", "width"]);
  });
});

function avg(values: number[]) {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
