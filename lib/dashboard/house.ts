import "server-only";
import type { Actor } from "@/lib/auth/roles";
import { getInventorySnapshot, getSeatLayout, type SeatLayout } from "@/lib/inventory";
import { readSeatLayout } from "@/lib/inventory/layout";
import { readSeatStates } from "@/lib/inventory/staff-states";
import { findManagedEvent } from "@/lib/auth/event-access";

// The seat map of the house for the dashboard. A published event uses the shared, cached
// layout and inventory snapshot (the same data the storefront's map polls). A draft is not in
// those caches (they serve customers, who may not see drafts), so its layout is read directly:
// nothing can be held or sold before publication, so every place shows as available.

export type HouseSeats = { count: number; data: string } | null; // 2-bit states, see lib/seatmap/bitmap.ts

export async function getHouseLayout(actor: Actor, eventId: string): Promise<SeatLayout | null> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return null;
  if (event.publishedAt) {
    const cached = await getSeatLayout(event.id);
    if (cached) return cached;
  }
  return (await readSeatLayout(event.id))?.layout ?? null;
}

/** Current seat states: the shared snapshot for published events, read directly for drafts (blocks only). Caller checked access. */
export async function getHouseSeats(eventId: string, published: boolean): Promise<HouseSeats> {
  if (!published) return readSeatStates(eventId);
  const snapshot = await getInventorySnapshot(eventId);
  return snapshot ? { count: snapshot.seats.count, data: snapshot.seats.data } : null;
}
