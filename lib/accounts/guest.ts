import "server-only";
import { db } from "@/db";
import { users, type User } from "@/db/schema";
import { assertRateLimit } from "@/lib/rate-limit";

// Guest checkout. A guest is a real user row without a password (guest = true) with its own
// session, so every rule of holding and paying — rate limits per customer, the waiting room's
// pass bound to the first account that holds with it, one open hold per event, ownership
// checks — applies to guests unchanged. Each guest checkout gets a new row: typing someone's
// address never opens their earlier purchases. Creating guests is limited per client address
// and per email address. The tickets arrive by email with the booking's private link; the
// account is claimed later by proving the address (lib/accounts/reset.ts, verify.ts).

export type GuestInput = { email: string; name: string };

export async function createGuest(input: GuestInput, ip: string): Promise<User> {
  await assertRateLimit("guestIp", ip);
  await assertRateLimit("guestAddress", input.email);
  const [user] = await db().insert(users).values({ email: input.email, name: input.name, passwordHash: null, guest: true, role: "CUSTOMER" }).returning();
  return user;
}
