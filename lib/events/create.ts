import { eq } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { eventSections, events, inventory, type SectionLayout } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { seatAccessOf } from "@/lib/venues/accessibility";
import { generateSeats } from "@/lib/venues/layout";
import { defaultWaitingRoom } from "@/lib/waiting-room/defaults";
import { getVenue, MAX_VENUE_CAPACITY } from "@/lib/venues/venues";
import { refreshEventStatuses } from "./lifecycle";
import { refreshInventoryStats } from "./planner-stats";
import type { EventInput } from "./schemas";

// Creating an event copies its sections (from a registered venue's templates or from inline
// custom sections) and writes one inventory row per sellable place. Later edits of the venue
// never touch existing events.

const PALETTE = ["#4f46e5", "#0891b2", "#059669", "#d97706", "#dc2626", "#7c3aed", "#db2777", "#65a30d"];

type SectionPlan = { name: string; kind: "ASSIGNED" | "GA"; capacity: number; priceMinor: number; color: string; layout: SectionLayout | null };

async function planSections(input: EventInput): Promise<{ venueId: string | null; venueName: string; venueAddress: string; sections: SectionPlan[] }> {
  if ("venueId" in input) {
    const venue = await getVenue(input.venueId);
    if (!venue) throw new AppError("validation_failed", "That venue does not exist.", { fields: { venueId: ["Unknown venue"] } });
    const prices = new Map(input.sections.map((s) => [s.venueSectionId, s]));
    const missing = venue.sections.filter((s) => !prices.has(s.id));
    const unknown = input.sections.filter((s) => !venue.sections.some((v) => v.id === s.venueSectionId));
    if (missing.length || unknown.length) {
      throw new AppError("validation_failed", "Set a price for every section of the venue, and only for those.", {
        fields: { sections: [...missing.map((s) => `Missing a price for ${s.name}`), ...unknown.map((s) => `Unknown section ${s.venueSectionId}`)] },
      });
    }
    return {
      venueId: venue.id,
      venueName: venue.name,
      venueAddress: venue.address,
      sections: venue.sections.map((s, i) => ({
        name: s.name,
        kind: s.kind,
        capacity: s.capacity,
        layout: s.layout,
        priceMinor: prices.get(s.id)!.priceMinor,
        color: prices.get(s.id)!.color ?? PALETTE[i % PALETTE.length],
      })),
    };
  }
  return {
    venueId: null,
    venueName: input.venue.name,
    venueAddress: input.venue.address,
    sections: input.sections.map((s, i) => ({
      name: s.name,
      kind: s.kind,
      capacity: s.kind === "GA" ? s.capacity : s.layout.rows * s.layout.seatsPerRow,
      layout: s.kind === "ASSIGNED" ? s.layout : null,
      priceMinor: s.priceMinor,
      color: s.color ?? PALETTE[i % PALETTE.length],
    })),
  };
}

export async function createEvent(actor: Actor, input: EventInput) {
  if (actor.role !== "ADMIN" && actor.role !== "ORGANIZER") throw new AppError("forbidden", "Only organizers create events.");
  const plan = await planSections(input);
  const capacity = plan.sections.reduce((n, s) => n + s.capacity, 0);
  if (capacity > MAX_VENUE_CAPACITY) {
    throw new AppError("validation_failed", `An event holds at most ${MAX_VENUE_CAPACITY} places.`, { fields: { sections: ["Too many places"] } });
  }
  const created = await db().transaction(async (tx) => {
    const [event] = await tx
      .insert(events)
      .values({
        organizerId: actor.id,
        venueId: plan.venueId,
        venueName: plan.venueName,
        venueAddress: plan.venueAddress,
        title: input.title,
        description: input.description,
        imageUrl: input.imageUrl ?? null,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        saleStartsAt: input.saleStartsAt,
        saleEndsAt: input.saleEndsAt,
        holdSeconds: input.holdMinutes * 60,
        maxPerOrder: input.maxPerOrder,
        currency: input.currency,
        capacity,
        waitingRoom: defaultWaitingRoom(capacity), // big on-sales queue by default; the organizer can switch it off
        publishedAt: input.publish ? new Date() : null,
      })
      .returning();
    await writeSections(tx, event.id, plan.sections);
    await refreshEventStatuses(tx, event.id);
    const [fresh] = await tx.select().from(events).where(eq(events.id, event.id));
    return fresh;
  });
  await refreshInventoryStats();
  return created;
}

const CHUNK = 2000;

export async function writeSections(tx: Tx, eventId: string, sections: SectionPlan[]) {
  let seq = 0;
  for (const [i, s] of sections.entries()) {
    const [section] = await tx
      .insert(eventSections)
      .values({ eventId, name: s.name, kind: s.kind, capacity: s.capacity, priceMinor: s.priceMinor, color: s.color, layout: s.layout, sortOrder: i })
      .returning({ id: eventSections.id });
    const accessOf = s.layout ? seatAccessOf(s.layout) : () => null;
    const places =
      s.kind === "ASSIGNED" && s.layout
        ? generateSeats(s.layout).map((seat) => ({ ...seat, access: accessOf(seat) }))
        : Array.from({ length: s.capacity }, () => ({ rowLabel: null, seatNumber: null, x: null, y: null, access: null }));
    for (let start = 0; start < places.length; start += CHUNK) {
      await tx.insert(inventory).values(places.slice(start, start + CHUNK).map((p) => ({ eventId, sectionId: section.id, seq: seq++, ...p })));
    }
  }
}
