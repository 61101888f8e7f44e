import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db";
import { bookings } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { hashLinkToken, LINK_TOKEN, sameHash } from "@/lib/link-tokens";
import { getBookingByReference } from "./index";
import { normalizeReference } from "./reference";
import { loadBookingView, type BookingView } from "./views";

// A booking's private link: /bookings/<reference>?key=<secret>, sent in the confirmation email.
// The secret (256 random bits) is stored only as its SHA-256 (bookings.access_key_hash), so the
// link cannot be guessed or rebuilt from the database. It shows the booking and its tickets to
// whoever has it, without signing in — that is how a guest sees their tickets. A wrong key is
// answered exactly like a missing booking.

export async function getBookingByKey(reference: string, key: string): Promise<BookingView | null> {
  const ref = normalizeReference(reference);
  if (!ref || !LINK_TOKEN.test(key)) return null;
  const [row] = await db().select({ id: bookings.id, hash: bookings.accessKeyHash }).from(bookings).where(eq(bookings.reference, ref)).limit(1);
  if (!row || !sameHash(row.hash, hashLinkToken(key))) return null;
  return loadBookingView(db(), row.id);
}

/** The booking for a page or route: by its private link's key when one is given, else as the signed-in actor. */
export async function resolveBooking(reference: string, key: string | undefined, actor: Actor | null): Promise<BookingView | null> {
  if (key) return getBookingByKey(reference, key);
  return actor ? getBookingByReference(actor, reference) : null;
}
