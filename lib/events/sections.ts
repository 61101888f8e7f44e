import { eventSections, inventory, type MapArea, type SectionLayout } from "@/db/schema";
import type { Tx } from "@/db";
import { fail, type Failure } from "@/lib/errors";
import { templateCapacity } from "@/lib/venues/schemas";
import { seatAccessOf } from "@/lib/venues/accessibility";
import { generateSeats } from "@/lib/venues/layout";
import { MAX_VENUE_CAPACITY } from "@/lib/venues/venues";
import { sectionColor } from "./palette";
import type { CustomSectionInput } from "./schemas";

// An event's sections and places, shared by creation and by editing a draft: the plan (one per
// section, copied from a venue's templates or from inline sections), the capacity ceiling, and
// the writes — one inventory row per sellable place, in seq order (the order of the seat bitmap).

export type SectionPlan = {
  name: string;
  kind: "ASSIGNED" | "GA";
  capacity: number;
  priceMinor: number;
  color: string;
  layout: SectionLayout | null;
  area: MapArea | null; // general admission drawn on the map
  hidden: boolean; // offered only to holders of an access code naming it (lib/promo-codes/hidden.ts)
};

/** Inline sections as a plan: capacity from the layout, a palette colour unless one was chosen. */
export function planCustomSections(sections: CustomSectionInput[]): SectionPlan[] {
  return sections.map((s, i) => ({
    name: s.name,
    kind: s.kind,
    capacity: templateCapacity(s),
    layout: s.kind === "ASSIGNED" ? s.layout : null,
    area: s.kind === "GA" ? (s.area ?? null) : null,
    priceMinor: s.priceMinor,
    color: s.color ?? sectionColor(i),
    hidden: s.hidden ?? false,
  }));
}

export function totalCapacity(plan: SectionPlan[]): number {
  return plan.reduce((n, s) => n + s.capacity, 0);
}

/** The refusal for an event with more places than the ceiling, else null. */
export function capacityRefusal(plan: SectionPlan[]): Failure<"validation_failed"> | null {
  if (totalCapacity(plan) <= MAX_VENUE_CAPACITY) return null;
  return fail("validation_failed", `An event holds at most ${MAX_VENUE_CAPACITY} places.`, { fields: { sections: ["Too many places"] } });
}

const CHUNK = 2000;

export async function writeSections(tx: Tx, eventId: string, sections: SectionPlan[]) {
  let seq = 0;
  for (const [i, s] of sections.entries()) {
    const [section] = await tx
      .insert(eventSections)
      .values({
        eventId,
        name: s.name,
        kind: s.kind,
        capacity: s.capacity,
        priceMinor: s.priceMinor,
        color: s.color,
        layout: s.layout,
        area: s.area,
        hidden: s.hidden,
        sortOrder: i,
      })
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
