import "server-only";
import { eq, sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { eventSections, events, type Event, type EventSection } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/roles";
import { findManagedEvent } from "@/lib/auth/event-access";
import { fail, type Failure } from "@/lib/errors";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { refreshInventoryStats } from "./planner-stats";
import type { EventUpdateInput } from "./schemas";
import { capacityRefusal, planCustomSections, totalCapacity, writeSections } from "./sections";

// Editing and publishing events. Every edit carries the version the form was loaded with; the
// update is refused with stale_version when someone saved in between (optimistic locking), so
// nobody silently overwrites another person's change.
//
// What may change when:
//   - a draft (never published): everything, sections included. Nobody can hold or buy a
//     draft's places, so its sections and places are simply rebuilt.
//   - once published: details, times, hold minutes and order limit. Sections (places, prices,
//     names) and the currency are fixed: customers may hold or own tickets for those places,
//     and the seat layout is cached as immutable by every app process and browser.
//   - cancelled or completed events: nothing.

type SectionInput = NonNullable<EventUpdateInput["sections"]>[number];

const stale = (current: number) =>
  fail("stale_version", "This event was changed by someone else while you were editing. Reload to see their changes, then apply yours again.", {
    currentVersion: current,
  });

function finalState(e: Event): Failure | null {
  if (e.status === "CANCELLED") return fail("conflict", "This event is cancelled and can no longer be changed.");
  if (e.status === "COMPLETED") return fail("conflict", "This event has taken place and can no longer be changed.");
  return null;
}

export async function updateEvent(actor: Actor, eventId: string, input: EventUpdateInput): Promise<{ ok: true; event: Event } | Failure> {
  return db().transaction(async (tx) => {
    const event = await findManagedEvent(actor, eventId, tx, true);
    if (!event) return fail("not_found", "No such event.");
    if (event.version !== input.version) return stale(event.version);
    const closed = finalState(event);
    if (closed) return closed;
    const published = event.publishedAt !== null;
    if (published && input.currency !== event.currency.trim()) {
      return fail("conflict", "The currency cannot change once the event is published.", { fields: { currency: ["Fixed once the event is published"] } });
    }
    if (input.venue && event.venueId) {
      return fail("validation_failed", "This event uses a registered venue; its name and address come from there.", {
        fields: { "venue.name": ["Set by the registered venue"] },
      });
    }
    let capacity = event.capacity;
    if (input.sections) {
      const current = await tx.select().from(eventSections).where(eq(eventSections.eventId, event.id)).orderBy(eventSections.sortOrder);
      if (!sameSections(current, input.sections)) {
        const refusal = published ? sectionsLocked() : await sellsAnything(tx, event.id);
        if (refusal) return refusal;
        const rebuilt = await rebuildSections(tx, event.id, input.sections);
        if (typeof rebuilt !== "number") return rebuilt;
        capacity = rebuilt;
      }
    }
    const [updated] = await tx
      .update(events)
      .set({
        title: input.title,
        description: input.description,
        imageUrl: input.imageUrl ?? null,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        saleStartsAt: input.saleStartsAt,
        saleEndsAt: input.saleEndsAt,
        holdSeconds: input.holdMinutes * 60,
        maxPerOrder: input.maxPerOrder,
        ...(input.maxPerCustomer !== undefined ? { maxPerCustomer: input.maxPerCustomer } : {}),
        currency: input.currency,
        capacity,
        ...(input.venue
          ? { venueName: input.venue.name, venueAddress: input.venue.address, ...(input.venue.timeZone ? { timeZone: input.venue.timeZone } : {}) }
          : {}),
        version: sql`${events.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(events.id, event.id))
      .returning();
    await refreshEventStatuses(tx, event.id);
    const [fresh] = await tx.select().from(events).where(eq(events.id, updated.id));
    return { ok: true as const, event: fresh };
  });
}

function sectionsLocked() {
  return fail(
    "conflict",
    "Sections cannot change once the event is published: customers may already hold or own tickets for these places. Create a new event for a different layout.",
    {
      fields: { sections: ["Fixed once the event is published"] },
    },
  );
}

// Defensive: a draft cannot be held or bought, but never rebuild places that anyone touched.
async function sellsAnything(tx: Tx, eventId: string): Promise<Failure | null> {
  const [row] = await tx.execute<{ touched: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM reservations WHERE event_id = ${eventId})
        OR EXISTS (SELECT 1 FROM tickets WHERE event_id = ${eventId}) AS touched`);
  return row.touched ? sectionsLocked() : null;
}

/** Replaces a draft's sections and places; returns the new capacity, or a refusal when too large. */
async function rebuildSections(tx: Tx, eventId: string, sections: SectionInput[]): Promise<number | Failure<"validation_failed">> {
  const plan = planCustomSections(sections);
  const refusal = capacityRefusal(plan);
  if (refusal) return refusal;
  await tx.delete(eventSections).where(eq(eventSections.eventId, eventId)); // cascades to the places
  await writeSections(tx, eventId, plan);
  return totalCapacity(plan);
}

/** Whether the submitted sections describe exactly the event's current ones. */
export function sameSections(current: EventSection[], next: SectionInput[]): boolean {
  if (current.length !== next.length) return false;
  return current.every((c, i) => {
    const n = next[i];
    if (c.name !== n.name || c.kind !== n.kind || c.priceMinor !== n.priceMinor || c.hidden !== (n.hidden ?? false)) return false;
    if (n.color && n.color.toLowerCase() !== c.color.toLowerCase()) return false;
    if (n.kind === "GA") return c.capacity === n.capacity && JSON.stringify(c.area ?? null) === JSON.stringify(n.area ?? null);
    return JSON.stringify(normalLayout(c.layout)) === JSON.stringify(normalLayout(n.layout));
  });
}

function normalLayout(l: EventSection["layout"]) {
  if (!l) return null;
  return {
    rows: l.rows,
    seatsPerRow: l.seatsPerRow,
    rowLabels: l.rowLabels ?? "letters",
    numbering: l.numbering ?? "ltr",
    aisles: l.aisles ?? [],
    curve: l.curve ?? 0,
    offsetX: l.offsetX ?? 0,
    offsetY: l.offsetY ?? 0,
    rotation: l.rotation ?? 0,
    wheelchair: l.wheelchair ?? [],
    companion: l.companion ?? [],
  };
}

/** Draft → published (visible to customers). Publishing a published event changes nothing. */
export async function publishEvent(actor: Actor, eventId: string): Promise<{ ok: true; event: Event; alreadyPublished: boolean } | Failure> {
  const result = await db().transaction(async (tx) => {
    const event = await findManagedEvent(actor, eventId, tx, true);
    if (!event) return fail("not_found", "No such event.");
    const closed = finalState(event);
    if (closed) return closed;
    if (event.publishedAt) return { ok: true as const, event, alreadyPublished: true };
    await tx
      .update(events)
      .set({ publishedAt: sql`now()`, version: sql`${events.version} + 1`, updatedAt: sql`now()` })
      .where(eq(events.id, event.id));
    await refreshEventStatuses(tx, event.id);
    await writeAudit(tx, { actorId: actor.id, action: "event.publish", targetType: "event", targetId: event.id, details: { title: event.title } });
    const [fresh] = await tx.select().from(events).where(eq(events.id, event.id));
    return { ok: true as const, event: fresh, alreadyPublished: false };
  });
  // Places written while the event was a draft are about to be sold: plan with their statistics.
  if (result.ok && !result.alreadyPublished) await refreshInventoryStats();
  return result;
}

/** The event and its sections for the edit form, if the actor may manage it. */
export async function getEditableEvent(actor: Actor, eventId: string): Promise<{ event: Event; sections: EventSection[] } | null> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return null;
  const sections = await db().select().from(eventSections).where(eq(eventSections.eventId, event.id)).orderBy(eventSections.sortOrder);
  return { event, sections };
}
