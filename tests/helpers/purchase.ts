import type { User } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout, type BookingView } from "@/lib/checkout";
import { holdSeats, type HoldRequest, type ReservationView } from "@/lib/holds";
import { newKey, pay } from "./payments";

// Holding and buying in-process, through the same lib/ functions the app calls (over HTTP the
// same purchase is buyOver in http.ts). Each throws when the step is refused.

const actorOf = (who: User | Actor): Actor => ("passwordHash" in who ? toActor(who) : who);

export async function hold(who: User | Actor, eventId: string, req: HoldRequest): Promise<ReservationView> {
  const r = await holdSeats(actorOf(who), eventId, req);
  if (!r.ok) throw new Error(`hold failed: ${r.code} ${r.message}`);
  return r.reservation;
}

/** A whole purchase: hold, then pay with the mock provider's test card. */
export async function buy(who: User | Actor, eventId: string, req: HoldRequest): Promise<BookingView> {
  const actor = actorOf(who);
  const reservation = await hold(actor, eventId, req);
  const r = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay("success") }, newKey());
  if (!r.ok) throw new Error(`checkout failed: ${r.code} ${r.message}`);
  return r.booking;
}
