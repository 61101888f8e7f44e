import "server-only";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { db } from "@/db";
import { events, type Event } from "@/db/schema";
import { isStaff, type Actor } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

// Who may manage an event: admins any event, organizers only their own — judged by the acting
// user's current role, so a demoted organizer loses the events they ran. Everything in the
// organizer area (dashboard, edit, publish, cancel, export, check-in, waiting room) and every
// staff view of an event (drafts, another customer's booking) asks here. Another organizer's
// event reads as missing (404), never as forbidden, so event ids cannot be probed.

export function assertStaff(actor: Actor) {
  if (!isStaff(actor.role)) throw new AppError("forbidden", "Only organizers and admins can do this.");
}

export function mayManageEvent(actor: Pick<Actor, "id" | "role">, event: Pick<Event, "organizerId">): boolean {
  return actor.role === "ADMIN" || (actor.role === "ORGANIZER" && event.organizerId === actor.id);
}

/** The event if the actor may manage it, else null. `lock` takes a row lock (inside a transaction). */
export async function findManagedEvent(actor: Actor, eventId: string, q: DbOrTx = db(), lock = false): Promise<Event | null> {
  assertStaff(actor);
  if (!isUuid(eventId)) return null;
  const where = actor.role === "ADMIN" ? eq(events.id, eventId) : and(eq(events.id, eventId), eq(events.organizerId, actor.id));
  const query = q.select().from(events).where(where).limit(1);
  const [event] = lock ? await query.for("update") : await query;
  return event ?? null;
}
