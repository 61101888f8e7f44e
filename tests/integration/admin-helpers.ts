import { eq } from "drizzle-orm";
import { db } from "@/db";
import { users, type User } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout, type BookingView } from "@/lib/checkout";
import type { HoldRequest } from "@/lib/holds";
import { hold } from "../helpers/checkout";
import { createUser } from "../helpers/fixtures";
import { newKey, pay } from "@/tests/helpers/payments";

// Shared by the admin-*.test.ts files: the cast of actors every authorization test tries, and
// a real purchase (hold → mock card checkout) through the holds and checkout domains.

export type Cast = { admin: Actor; organizer: Actor; otherOrganizer: Actor; customer: Actor; otherCustomer: Actor; organizerUser: User };

export async function cast(): Promise<Cast> {
  const [admin, organizerUser, otherOrganizer, customer, otherCustomer] = await Promise.all([
    createUser("ADMIN"),
    createUser("ORGANIZER"),
    createUser("ORGANIZER"),
    createUser("CUSTOMER"),
    createUser("CUSTOMER"),
  ]);
  return {
    admin: toActor(admin),
    organizer: toActor(organizerUser),
    otherOrganizer: toActor(otherOrganizer),
    customer: toActor(customer),
    otherCustomer: toActor(otherCustomer),
    organizerUser,
  };
}

export async function buy(buyer: User | Actor, eventId: string, req: HoldRequest): Promise<BookingView> {
  const actor = "passwordHash" in buyer ? toActor(buyer) : buyer;
  const reservation = await hold(actor, eventId, req);
  const r = await confirmCheckout(actor, { reservationId: reservation.id, payment: pay("success") }, newKey());
  if (!r.ok) throw new Error(`checkout failed: ${r.code} ${r.message}`);
  return r.booking;
}

export async function updateUserName(userId: string, name: string) {
  await db().update(users).set({ name }).where(eq(users.id, userId));
}
