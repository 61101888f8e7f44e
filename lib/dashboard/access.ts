import "server-only";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { db } from "@/db";
import { events, type Event } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

// Who may manage an event: admins any event, organizers only their own. Everything in the
// organizer area (dashboard, edit, publish, cancel, export, check-in) asks here first. Another
// organizer's event reads as missing (404), never as forbidden, so event ids cannot be probed.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(id: string): boolean {
  return UUID.test(id);
}

export function assertStaff(actor: Actor) {
  if (actor.role !== "ADMIN" && actor.role !== "ORGANIZER") throw new AppError("forbidden", "Only organizers and admins can do this.");
}

export function ownsEvent(actor: Actor, event: Pick<Event, "organizerId">): boolean {
  return actor.role === "ADMIN" || (actor.role === "ORGANIZER" && event.organizerId === actor.id);
}

/** The event if the actor may manage it, else null. `lock` takes a row lock (inside a transaction). */
export async function findStaffEvent(actor: Actor, eventId: string, q: DbOrTx = db(), lock = false): Promise<Event | null> {
  assertStaff(actor);
  if (!isUuid(eventId)) return null;
  const where = actor.role === "ADMIN" ? eq(events.id, eventId) : and(eq(events.id, eventId), eq(events.organizerId, actor.id));
  const query = q.select().from(events).where(where).limit(1);
  const [event] = lock ? await query.for("update") : await query;
  return event ?? null;
}
