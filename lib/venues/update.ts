import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { venueSections, venues } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/roles";
import { AppError, fail, type Failure } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import type { VenueInput } from "./schemas";
import { mayCreateVenue, mayEditVenue, venueCapacityRefusal, writeVenueSections } from "./venues";

// Editing a venue (its creator or an admin, see venues.ts) replaces its section templates.
// Events copied their sections when they were created (lib/events/create.ts), so no existing
// event changes. Two admins editing the same
// venue: the second save carries an old version and is refused with stale_version instead of
// silently overwriting the first.

export async function updateVenue(
  actor: Actor,
  venueId: string,
  input: VenueInput,
  expectedVersion: number,
): Promise<{ ok: true; venue: typeof venues.$inferSelect } | Failure> {
  if (!mayCreateVenue(actor)) throw new AppError("forbidden", "Only organizers and admins manage venues.");
  if (!isUuid(venueId)) return fail("not_found", "No such venue.");
  const [owner] = await db().select({ createdBy: venues.createdBy }).from(venues).where(eq(venues.id, venueId));
  if (!owner) return fail("not_found", "No such venue.");
  if (!mayEditVenue(actor, owner)) return fail("forbidden", "You can edit only the venues you created. Ask an admin to change this one.");
  const refusal = venueCapacityRefusal(input);
  if (refusal) return refusal;
  return db().transaction(async (tx) => {
    const [venue] = await tx
      .update(venues)
      .set({
        name: input.name,
        address: input.address,
        ...(input.timeZone ? { timeZone: input.timeZone } : {}),
        version: sql`${venues.version} + 1`,
        updatedAt: sql`now()`,
      })
      // The owner again in the statement itself: the check above and this write agree even if
      // the venue were re-assigned in between.
      .where(and(eq(venues.id, venueId), eq(venues.version, expectedVersion), actor.role === "ADMIN" ? undefined : eq(venues.createdBy, actor.id)))
      .returning();
    if (!venue) {
      const [exists] = await tx.select({ version: venues.version }).from(venues).where(eq(venues.id, venueId));
      if (!exists) return fail("not_found", "No such venue.");
      return fail("stale_version", "This venue was changed by someone else while you were editing. Reload to see their changes, then apply yours again.", {
        currentVersion: exists.version,
      });
    }
    await tx.delete(venueSections).where(eq(venueSections.venueId, venueId));
    await writeVenueSections(tx, venueId, input);
    await writeAudit(tx, {
      actorId: actor.id,
      action: "venue.update",
      targetType: "venue",
      targetId: venueId,
      details: { name: input.name, version: venue.version },
    });
    return { ok: true as const, venue };
  });
}
