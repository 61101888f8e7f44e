import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { events, inventory, reservations, type User } from "@/db/schema";
import { refreshEventStatuses } from "@/lib/inventory/event-status";

// Moves test events into the states the storefront must show (past, cancelled, sold out)
// directly in the database, the way time or other customers would.

export function uniqueTag(prefix: string) {
  return `${prefix}${crypto.randomBytes(3).toString("hex")}`;
}

export async function makePast(eventId: string) {
  await db().execute(sql`
    UPDATE events SET sale_starts_at = now() - interval '30 days', sale_ends_at = now() - interval '10 days',
      starts_at = now() - interval '10 days', ends_at = now() - interval '10 days' + interval '3 hours', status = 'COMPLETED'
    WHERE id = ${eventId}`);
}

export async function makeCancelled(eventId: string) {
  await db().update(events).set({ status: "CANCELLED" }).where(eq(events.id, eventId));
}

/** Sells every place of an event to `buyer` (inventory SOLD under a confirmed reservation). */
export async function sellOut(eventId: string, buyer: User) {
  const [r] = await db().insert(reservations).values({ eventId, userId: buyer.id, status: "CONFIRMED", currency: "EUR", expiresAt: new Date() }).returning();
  await db().update(inventory).set({ status: "SOLD", reservationId: r.id, holdExpiresAt: null }).where(eq(inventory.eventId, eventId));
  await refreshEventStatuses(db(), eventId);
}
