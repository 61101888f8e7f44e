import { asc, eq } from "drizzle-orm";
import { db } from "@/db";
import { venueSections, venues } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { writeAudit } from "@/lib/audit/write";
import { AppError } from "@/lib/errors";
import { templateCapacity, type VenueInput } from "./schemas";

// Who manages venues: organizers and admins create them (with the layout generator); a venue
// can be edited by the organizer who created it and by admins. Every organizer may hold events
// at any venue (events copy its sections), so the list of venues is shared.

export const MAX_VENUE_CAPACITY = 100_000;

export function mayCreateVenue(actor: Actor): boolean {
  return actor.role === "ADMIN" || actor.role === "ORGANIZER";
}

export function mayEditVenue(actor: Actor, venue: { createdBy: string | null }): boolean {
  return actor.role === "ADMIN" || (actor.role === "ORGANIZER" && venue.createdBy === actor.id);
}

export async function createVenue(actor: Actor, input: VenueInput) {
  if (!mayCreateVenue(actor)) throw new AppError("forbidden", "Only organizers and admins create venues.");
  const total = input.sections.reduce((n, s) => n + templateCapacity(s), 0);
  if (total > MAX_VENUE_CAPACITY) {
    throw new AppError("validation_failed", `A venue holds at most ${MAX_VENUE_CAPACITY} places (this one has ${total}).`, {
      fields: { sections: [`Total capacity ${total} exceeds ${MAX_VENUE_CAPACITY}`] },
    });
  }
  return db().transaction(async (tx) => {
    const [venue] = await tx.insert(venues).values({ name: input.name, address: input.address, createdBy: actor.id }).returning();
    await tx.insert(venueSections).values(
      input.sections.map((s, i) => ({
        venueId: venue.id,
        name: s.name,
        kind: s.kind,
        capacity: templateCapacity(s),
        layout: s.kind === "ASSIGNED" ? s.layout : null,
        sortOrder: i,
      })),
    );
    await writeAudit(tx, { actorId: actor.id, action: "venue.create", targetType: "venue", targetId: venue.id, details: { name: input.name } });
    return venue;
  });
}

export async function listVenues() {
  return db().query.venues.findMany({ orderBy: asc(venues.name), with: { sections: { orderBy: asc(venueSections.sortOrder) } } });
}

export async function getVenue(id: string) {
  return (
    (await db().query.venues.findFirst({
      where: eq(venues.id, id),
      with: { sections: { orderBy: asc(venueSections.sortOrder) } },
    })) ?? null
  );
}
