import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { type Checkout } from "@/db/schema";

// 3-D Secure (strong customer authentication): the bank asks the customer to confirm the
// payment before it goes through (docs/payments.md). The charge then waits at the provider
// (requires_action) while the customer answers the challenge — on the issuer's page, or in the
// page through Stripe.js — which takes minutes, not the seconds of the payment timeout. So the
// checkout stays STARTED, remembers the provider's charge id, and its payment deadline (the
// checkout's, the reservation's, and its places' holds) moves to ACTION_WINDOW_MS from now: the
// seats are kept for the customer until then. Whoever learns the outcome first finishes it
// through the same saga step: the customer coming back (./resume.ts), the webhook, or —
// once the deadline has passed — the sweep, which voids a challenge never answered (nothing is
// charged, the seats go back).

export const ACTION_WINDOW_MS = 15 * 60_000;

/** Where the customer comes back to after the challenge (the issuer's redirect, Stripe's return_url). */
export const returnPathFor = (reservationId: string) => `/checkout/${reservationId}/return`;

/** The charge waits for the customer: remember it, and keep the seats until the new payment deadline. */
export async function awaitCustomerAction(c: Checkout, chargeId: string): Promise<void> {
  await db().execute(sql`
    WITH c AS (
      UPDATE checkouts SET provider_ref = ${chargeId}, updated_at = now(),
        deadline = GREATEST(deadline, now() + ${ACTION_WINDOW_MS} * interval '1 millisecond')
      WHERE id = ${c.id} AND state = 'STARTED'
      RETURNING reservation_id, event_id, deadline
    ), r AS (
      UPDATE reservations SET payment_deadline = c.deadline, updated_at = now()
      FROM c WHERE reservations.id = c.reservation_id AND reservations.status = 'PAYMENT'
    )
    UPDATE inventory SET hold_expires_at = GREATEST(inventory.hold_expires_at, c.deadline)
    FROM c WHERE inventory.reservation_id = c.reservation_id AND inventory.event_id = c.event_id AND inventory.status = 'HELD'`);
}

/** Whether `chargeId` is the open 3-D Secure challenge of one of this customer's checkouts. */
export async function isOwnOpenChallenge(userId: string, chargeId: string): Promise<boolean> {
  const [row] = await db().execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM checkouts WHERE provider_ref = ${chargeId} AND user_id = ${userId} AND state = 'STARTED'`);
  return row.n > 0;
}
