import { asc, eq } from "drizzle-orm";
import { VENUE_TIME_ZONE_DEFAULT } from "@/lib/time-zone";
import { db, type Tx } from "@/db";
import { venueSections, venues, type Venue } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { writeAudit } from "@/lib/audit/write";
import { AppError, fail, type Failure } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { templateCapacity, type VenueInput } from "./schemas";

// Who manages venues: organizers and admins create them (with the layout generator); a venue
// can be edited by the organizer who created it and by admins. Every organizer may hold events
// at any venue (events copy its sections), so the list of venues is shared. Creating and editing
// (./update.ts) apply the same rules and report refusals the same way (typed results).

export const MAX_VENUE_CAPACITY = 100_000;

export function mayCreateVenue(actor: Actor): boolean {
  return actor.role === "ADMIN" || actor.role === "ORGANIZER";
}

export function mayEditVenue(actor: Actor, venue: { createdBy: string | null }): boolean {
  return actor.role === "ADMIN" || (actor.role === "ORGANIZER" && venue.createdBy === actor.id);
}

/** The refusal for a venue with more places than the ceiling, else null. */
export function venueCapacityRefusal(input: VenueInput): Failure<"validation_failed"> | null {
  const total = input.sections.reduce((n, s) => n + templateCapacity(s), 0);
  if (total <= MAX_VENUE_CAPACITY) return null;
  return fail("validation_failed", `A venue holds at most ${MAX_VENUE_CAPACITY} places (this one has ${total}).`, {
    fields: { sections: [`Total capacity ${total} exceeds ${MAX_VENUE_CAPACITY}`] },
  });
}

/** Writes the venue's section templates in order (after deleting the old ones, when editing). */
export async function writeVenueSections(tx: Tx, venueId: string, input: VenueInput) {
  await tx.insert(venueSections).values(
    input.sections.map((s, i) => ({
      venueId,
      name: s.name,
      kind: s.kind,
      capacity: templateCapacity(s),
      layout: s.kind === "ASSIGNED" ? s.layout : null,
      area: s.kind === "GA" ? (s.area ?? null) : null,
      sortOrder: i,
    })),
  );
}

export async function createVenue(actor: Actor, input: VenueInput): Promise<{ ok: true; venue: Venue } | Failure<"validation_failed">> {
  if (!mayCreateVenue(actor)) throw new AppError("forbidden", "Only organizers and admins create venues.");
  const refusal = venueCapacityRefusal(input);
  if (refusal) return refusal;
  return db().transaction(async (tx) => {
    const [venue] = await tx
      .insert(venues)
      .values({ name: input.name, address: input.address, timeZone: input.timeZone ?? VENUE_TIME_ZONE_DEFAULT, createdBy: actor.id })
      .returning();
    await writeVenueSections(tx, venue.id, input);
    await writeAudit(tx, { actorId: actor.id, action: "venue.create", targetType: "venue", targetId: venue.id, details: { name: input.name } });
    return { ok: true as const, venue };
  });
}

export async function listVenues() {
  return db().query.venues.findMany({ orderBy: asc(venues.name), with: { sections: { orderBy: asc(venueSections.sortOrder) } } });
}

/** A venue with its section templates; null when there is none (or the id is not a uuid). */
export async function getVenue(id: string) {
  if (!isUuid(id)) return null;
  return (
    (await db().query.venues.findFirst({
      where: eq(venues.id, id),
      with: { sections: { orderBy: asc(venueSections.sortOrder) } },
    })) ?? null
  );
}
