import { eq } from "drizzle-orm";
import { VENUE_TIME_ZONE_DEFAULT } from "@/lib/time-zone";
import { db } from "@/db";
import { events, type Event } from "@/db/schema";
import { isStaff, type Actor } from "@/lib/auth/roles";
import { AppError, fail, type Failure } from "@/lib/errors";
import { defaultWaitingRoom } from "@/lib/waiting-room/defaults";
import { getVenue } from "@/lib/venues/venues";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { sectionColor } from "./palette";
import { refreshInventoryStats } from "./planner-stats";
import type { EventInput } from "./schemas";
import { capacityRefusal, planCustomSections, totalCapacity, writeSections, type SectionPlan } from "./sections";

// Creating an event copies its sections (from a registered venue's templates or from inline
// custom sections) and writes one inventory row per sellable place. Later edits of the venue
// never touch existing events. Refusals are typed results, as in editing (./update.ts).

type Plan = { venueId: string | null; venueName: string; venueAddress: string; timeZone: string; sections: SectionPlan[] };

async function planEvent(input: EventInput): Promise<Plan | Failure<"validation_failed">> {
  if (!("venueId" in input)) {
    return {
      venueId: null,
      venueName: input.venue.name,
      venueAddress: input.venue.address,
      timeZone: input.venue.timeZone ?? VENUE_TIME_ZONE_DEFAULT,
      sections: planCustomSections(input.sections),
    };
  }
  const venue = await getVenue(input.venueId);
  if (!venue) return fail("validation_failed", "That venue does not exist.", { fields: { venueId: ["Unknown venue"] } });
  const prices = new Map(input.sections.map((s) => [s.venueSectionId, s]));
  const missing = venue.sections.filter((s) => !prices.has(s.id));
  const unknown = input.sections.filter((s) => !venue.sections.some((v) => v.id === s.venueSectionId));
  if (missing.length || unknown.length) {
    return fail("validation_failed", "Set a price for every section of the venue, and only for those.", {
      fields: { sections: [...missing.map((s) => `Missing a price for ${s.name}`), ...unknown.map((s) => `Unknown section ${s.venueSectionId}`)] },
    });
  }
  return {
    venueId: venue.id,
    venueName: venue.name,
    venueAddress: venue.address,
    timeZone: venue.timeZone,
    sections: venue.sections.map((s, i) => ({
      name: s.name,
      kind: s.kind,
      capacity: s.capacity,
      layout: s.layout,
      area: s.area,
      priceMinor: prices.get(s.id)!.priceMinor,
      color: prices.get(s.id)!.color ?? sectionColor(i),
      hidden: prices.get(s.id)!.hidden ?? false,
    })),
  };
}

export async function createEvent(actor: Actor, input: EventInput): Promise<{ ok: true; event: Event } | Failure<"validation_failed">> {
  if (!isStaff(actor.role)) throw new AppError("forbidden", "Only organizers create events.");
  const plan = await planEvent(input);
  if ("ok" in plan) return plan;
  const refusal = capacityRefusal(plan.sections);
  if (refusal) return refusal;
  const capacity = totalCapacity(plan.sections);
  const created = await db().transaction(async (tx) => {
    const [event] = await tx
      .insert(events)
      .values({
        organizerId: actor.id,
        venueId: plan.venueId,
        venueName: plan.venueName,
        venueAddress: plan.venueAddress,
        timeZone: plan.timeZone,
        title: input.title,
        description: input.description,
        imageUrl: input.imageUrl ?? null,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        saleStartsAt: input.saleStartsAt,
        saleEndsAt: input.saleEndsAt,
        holdSeconds: input.holdMinutes * 60,
        maxPerOrder: input.maxPerOrder,
        maxPerCustomer: input.maxPerCustomer ?? null,
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
  return { ok: true, event: created };
}
