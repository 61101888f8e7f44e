import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { hashPassword } from "@/lib/auth/password";
import { fail, type Failure } from "@/lib/errors";
import { wakeMailer } from "@/lib/mail/loop";
import { enqueueMail } from "@/lib/mail/outbox";
import { assertRateLimit } from "@/lib/rate-limit";
import { mergeGuestsInto } from "./merge";
import { RESET_MINUTES, consumeToken, issueToken, retireTokens } from "./tokens";

// Password reset, which is also how a guest claims an account: a link to the address proves
// it. The request answers the same whatever the address (no way to learn who has an account);
// it is limited per client address and per email address, counted before anything is looked
// up. Using the link sets the password, signs every session and API token of the account out
// (session_version), and gives the account the guest purchases made with that address.

export type ResetRequest = { email: string };

export async function requestPasswordReset(input: ResetRequest, ip: string): Promise<{ ok: true }> {
  await assertRateLimit("resetIp", ip);
  await assertRateLimit("resetAddress", input.email);
  const queued = await db().transaction(async (tx) => {
    // The account of that address; else the latest guest checkout with it (claiming).
    const [user] = await tx.execute<{ id: string; name: string; email: string }>(sql`
      SELECT id, name, email FROM users WHERE lower(email) = ${input.email}
      ORDER BY guest, created_at DESC LIMIT 1`);
    if (!user) return false;
    const token = await issueToken(tx, { userId: user.id, purpose: "PASSWORD_RESET", email: user.email, minutes: RESET_MINUTES });
    return enqueueMail(tx, { kind: "password_reset", recipient: user.email, payload: { name: user.name, minutes: RESET_MINUTES }, secret: { token } });
  });
  if (queued) wakeMailer();
  return { ok: true };
}

export type ResetResult = { ok: true; userId: string; email: string; claimed: number };

export async function resetPassword(token: string, password: string): Promise<ResetResult | Failure> {
  const passwordHash = await hashPassword(password); // before the transaction: bcrypt takes ~100 ms
  const result = await db().transaction(async (tx) => {
    const used = await consumeToken(tx, token, "PASSWORD_RESET");
    if (!used) return null;
    // A guest's token sets the password of the address's account if one exists by now,
    // otherwise the guest row becomes that account.
    const [account] = await tx.execute<{ id: string; name: string }>(sql`
      SELECT id, name FROM users WHERE lower(email) = lower(${used.email}) AND NOT guest FOR UPDATE`);
    const userId = account?.id ?? used.userId;
    // Bookings the guest row itself made count as claimed too when it becomes the account.
    const [own] = await tx.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM bookings b JOIN users u ON u.id = b.user_id WHERE u.id = ${userId} AND u.guest`);
    const [user] = await tx.execute<{ id: string; name: string; email: string }>(sql`
      UPDATE users SET password_hash = ${passwordHash}, guest = false, session_version = session_version + 1,
                       email_verified_at = coalesce(email_verified_at, now())
      WHERE id = ${userId} RETURNING id, name, email`);
    await retireTokens(tx, user.id, "PASSWORD_RESET");
    const claimed = own.n + (await mergeGuestsInto(tx, user.id, user.email));
    await enqueueMail(tx, { kind: "password_changed", recipient: user.email, payload: { name: user.name } });
    return { ok: true as const, userId: user.id, email: user.email, claimed };
  });
  if (!result) return expired();
  wakeMailer();
  return result;
}

export function expired(): Failure {
  return fail("not_found", "This link has expired or was already used. Ask for a new one below.");
}
