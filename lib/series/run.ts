import "server-only";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { eventSections, events, eventSeries, type Event } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { findManagedEvent } from "@/lib/auth/event-access";
import { fail, fieldErrors, type Failure } from "@/lib/errors";
import { writeSections } from "@/lib/events/sections";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { refreshInventoryStats } from "@/lib/events/planner-stats";
import { copyTicketTypes } from "@/lib/ticket-types/copy";
import { createRunSchema, MAX_RUN_PLACES, type CreateRunInput } from "./schemas";

// A run of dates: copies of one event (details, sections with their layouts, wheelchair
// spaces and prices, ticket types with their prices now) at other start times, all in one series. Each copy is a separate event
// with its own places, sales and dashboard; the series only groups them for customers.
//
// Times move with the start: the end, the sale's end and the hold settings keep their distance
// to the start. The sale opens when the original's does (a run usually goes on sale at once),
// unless that would be after the copy's sale ends, then it moves with the start too.

export type RunResult = { ok: true; seriesId: string; events: Pick<Event, "id" | "title" | "startsAt">[] } | Failure;

export async function createRun(actor: Actor, sourceEventId: string, input: CreateRunInput): Promise<RunResult> {
  const parsed = createRunSchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  const source = await findManagedEvent(actor, sourceEventId);
  if (!source) return fail("not_found", "No such event.");
  if (source.status === "CANCELLED") return fail("conflict", "A cancelled event cannot be copied.");
  const { dates, publish } = parsed.data;
  const taken = dates.find((d) => d.getTime() === source.startsAt.getTime());
  if (taken)
    return fail("validation_failed", "One of the dates is the original's own start time.", { fields: { dates: ["Pick other dates than the original's"] } });
  if (source.capacity * dates.length > MAX_RUN_PLACES) {
    const most = Math.max(1, Math.floor(MAX_RUN_PLACES / Math.max(1, source.capacity)));
    return fail("validation_failed", `This event has ${source.capacity} places: add at most ${most} dates at a time.`, {
      fields: { dates: [`At most ${most} dates`] },
    });
  }

  const result = await db().transaction(async (tx) => {
    const sections = await tx.select().from(eventSections).where(eq(eventSections.eventId, source.id)).orderBy(eventSections.sortOrder);
    let seriesId = source.seriesId;
    if (!seriesId) {
      const [series] = await tx.insert(eventSeries).values({ organizerId: source.organizerId, title: source.title }).returning({ id: eventSeries.id });
      seriesId = series.id;
      await tx
        .update(events)
        .set({ seriesId, version: sql`${events.version} + 1`, updatedAt: sql`now()` })
        .where(eq(events.id, source.id));
    }
    const made: Pick<Event, "id" | "title" | "startsAt">[] = [];
    for (const start of dates) {
      const shift = start.getTime() - source.startsAt.getTime();
      const at = (d: Date) => new Date(d.getTime() + shift);
      const saleEndsAt = at(source.saleEndsAt);
      const saleStartsAt = source.saleStartsAt < saleEndsAt ? source.saleStartsAt : at(source.saleStartsAt);
      const [copy] = await tx
        .insert(events)
        .values({
          organizerId: source.organizerId,
          seriesId,
          venueId: source.venueId,
          venueName: source.venueName,
          venueAddress: source.venueAddress,
          timeZone: source.timeZone,
          title: source.title,
          description: source.description,
          imageUrl: source.imageUrl,
          startsAt: start,
          endsAt: at(source.endsAt),
          saleStartsAt,
          saleEndsAt,
          holdSeconds: source.holdSeconds,
          maxPerOrder: source.maxPerOrder,
          maxPerCustomer: source.maxPerCustomer,
          currency: source.currency,
          capacity: source.capacity,
          waitingRoom: source.waitingRoom,
          admitPerMinute: source.admitPerMinute,
          waitingRoomSessionSeconds: source.waitingRoomSessionSeconds,
          publishedAt: publish ? new Date() : null,
        })
        .returning({ id: events.id, title: events.title, startsAt: events.startsAt });
      await writeSections(
        tx,
        copy.id,
        sections.map((s) => ({
          name: s.name,
          kind: s.kind,
          capacity: s.capacity,
          priceMinor: s.priceMinor,
          color: s.color,
          layout: s.layout,
          area: s.area,
          hidden: s.hidden,
        })),
      );
      await copyTicketTypes(tx, actor.id, source.id, copy.id);
      await refreshEventStatuses(tx, copy.id);
      made.push(copy);
    }
    return { seriesId, made };
  });
  await refreshInventoryStats();
  return { ok: true, seriesId: result.seriesId, events: result.made };
}
