import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { hashLinkToken, LINK_TOKEN, newLinkToken } from "@/lib/link-tokens";

// Single-use emailed tokens (password reset, address verification). Only the SHA-256 is stored;
// the token itself goes into the outbox encrypted (lib/mail/secret.ts). Expiry is judged by the
// database clock, and a token is used up in the same statement that finds it.

export type Purpose = "PASSWORD_RESET" | "EMAIL_VERIFY";
export const RESET_MINUTES = 60;
export const VERIFY_HOURS = 48;

export async function issueToken(tx: Tx, opts: { userId: string; purpose: Purpose; email: string; minutes: number }): Promise<string> {
  const { token, hash } = newLinkToken();
  await tx.execute(sql`
    INSERT INTO email_tokens (user_id, purpose, token_hash, email, expires_at)
    VALUES (${opts.userId}, ${opts.purpose}, ${hash}, ${opts.email}, now() + make_interval(mins => ${opts.minutes}::int))`);
  return token;
}

export type UsedToken = { id: string; userId: string; email: string };

/** Uses up a live token (unused, unexpired): null when it is unknown, used or expired. */
export async function consumeToken(tx: Tx, token: string, purpose: Purpose): Promise<UsedToken | null> {
  if (!LINK_TOKEN.test(token)) return null;
  const [row] = await tx.execute<{ id: string; user_id: string; email: string }>(sql`
    UPDATE email_tokens SET used_at = now()
    WHERE token_hash = ${hashLinkToken(token)} AND purpose = ${purpose} AND used_at IS NULL AND expires_at > now()
    RETURNING id, user_id, email`);
  return row ? { id: row.id, userId: row.user_id, email: row.email } : null;
}

/** Whether a token is live, without using it up (the reset page shows the form only then). */
export async function peekToken(q: Pick<Tx, "execute">, token: string, purpose: Purpose): Promise<boolean> {
  if (!LINK_TOKEN.test(token)) return false;
  const rows = await q.execute(sql`
    SELECT 1 FROM email_tokens WHERE token_hash = ${hashLinkToken(token)} AND purpose = ${purpose} AND used_at IS NULL AND expires_at > now()`);
  return rows.length > 0;
}

/** Every other live token of this purpose for the user stops working (a reset was used, a newer link sent). */
export async function retireTokens(tx: Tx, userId: string, purpose: Purpose) {
  await tx.execute(sql`UPDATE email_tokens SET used_at = now() WHERE user_id = ${userId} AND purpose = ${purpose} AND used_at IS NULL`);
}
