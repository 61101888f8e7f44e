import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db";

// Who a box-office order is for, by email address: the account with that address, or else a
// new guest account, the same kind of row guest checkout makes (lib/accounts/guest.ts: no
// password, claimed later by proving the address). Guests are never looked up by address, so a
// staff order never adds tickets to a stranger's guest purchases.

export type OrderCustomer = { id: string; email: string; created: boolean };

export async function findOrMakeCustomer(tx: Tx, input: { email: string; name?: string }): Promise<OrderCustomer> {
  const [found] = await tx.execute<{ id: string; email: string }>(sql`
    SELECT id, email FROM users WHERE lower(email) = lower(${input.email}) AND NOT guest LIMIT 1`);
  if (found) return { id: found.id, email: found.email, created: false };
  const name = input.name?.trim() || input.email.split("@")[0];
  const [made] = await tx.execute<{ id: string; email: string }>(sql`
    INSERT INTO users (email, name, password_hash, guest, role) VALUES (${input.email}, ${name}, NULL, true, 'CUSTOMER')
    RETURNING id, email`);
  return { id: made.id, email: made.email, created: true };
}
