import { sql, type SQL } from "drizzle-orm";
import { fail } from "@/lib/errors";

// The per-customer limit (events.max_per_customer): at most N places of an event per customer,
// held and bought together over all their orders. A customer is an email address, so a guest
// cannot sidestep it with a new guest session. Counted by the database function
// customer_places() (drizzle/0018_customer_places.sql), which first takes a transaction-scoped
// advisory lock on (event, address): two requests of one customer take turns, and the second
// counts the first's places. Events without a limit never call it (no lock, no extra reads).
// Box-office staff orders are exempt (lib/box-office never asks).

/**
 * SQL for "the customer's places of this event, counted under the lock" (call only when the
 * event has a limit). `userId` is an id, or a uuid column of the calling statement.
 */
export function customerPlaces(eventId: string, userId: string | SQL): SQL {
  return sql`customer_places(${eventId}::uuid, ${typeof userId === "string" ? sql`${userId}::uuid` : userId})`;
}

/** Whether `more` places would take a customer who has `have` past the event's limit. */
export function overCustomerLimit(limit: number | null, have: number | null, more: number): boolean {
  return limit !== null && have !== null && have + more > limit;
}

/** The refusal: how many the event allows per customer and how many they already have. */
export function customerLimitRefusal(limit: number, have: number) {
  const places = (n: number) => `${n} place${n === 1 ? "" : "s"}`;
  const left = Math.max(0, limit - have);
  const already = have ? `; you already have ${have}` : "";
  const next = left ? ` You can add ${left} more.` : "";
  return fail("limit_exceeded", `You can have at most ${places(limit)} for this event${already}.${next}`, {
    limit,
    held: have,
    perCustomer: true,
  });
}
