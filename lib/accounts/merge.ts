import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db";

// Claiming guest purchases. Whoever proves an address (a reset link or a verification link
// sent to it) gets the bookings that guest checkouts made with that address: the bookings, and
// the finished reservations and checkouts behind them, move to the account. Holds still open
// stay with their guest session and run out as usual. Guest sessions of that address end.

export async function mergeGuestsInto(tx: Tx, userId: string, email: string): Promise<number> {
  const [row] = await tx.execute<{ bookings: number }>(sql`
    WITH guests AS (
      SELECT id FROM users WHERE guest AND lower(email) = lower(${email}) AND id <> ${userId} FOR UPDATE
    ), b AS (
      UPDATE bookings SET user_id = ${userId} WHERE user_id IN (SELECT id FROM guests) RETURNING id
    ), r AS (
      UPDATE reservations SET user_id = ${userId}, updated_at = now()
      WHERE user_id IN (SELECT id FROM guests) AND status NOT IN ('ACTIVE', 'PAYMENT') RETURNING id
    ), c AS (
      UPDATE checkouts SET user_id = ${userId}, updated_at = now()
      WHERE user_id IN (SELECT id FROM guests) AND state NOT IN ('STARTED', 'CHARGED') RETURNING id
    ), s AS (
      UPDATE users SET session_version = session_version + 1 WHERE id IN (SELECT id FROM guests) RETURNING id
    )
    SELECT (SELECT count(*)::int FROM b) AS bookings, (SELECT count(*) FROM r) + (SELECT count(*) FROM c) + (SELECT count(*) FROM s) AS _rest`);
  return row.bookings;
}
