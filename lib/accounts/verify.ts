import "server-only";
import { sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { fail, type Failure } from "@/lib/errors";
import { wakeMailer } from "@/lib/mail/loop";
import { enqueueMail } from "@/lib/mail/outbox";
import { assertRateLimit } from "@/lib/rate-limit";
import { mergeGuestsInto } from "./merge";
import { VERIFY_HOURS, consumeToken, issueToken, retireTokens } from "./tokens";

// Proving an address: after sign-up (the account's own address) and for an email change (the
// new address; the account's address changes only when the link is used, and the old address
// is told). Proving an address also gives the account the guest purchases made with it.

/** Queues a verification link to `email` for the user, in the caller's transaction. */
export async function queueVerification(tx: Tx, user: { id: string; name: string }, email: string, change = false) {
  await retireTokens(tx, user.id, "EMAIL_VERIFY"); // only the newest link works
  const token = await issueToken(tx, { userId: user.id, purpose: "EMAIL_VERIFY", email, minutes: VERIFY_HOURS * 60 });
  await enqueueMail(tx, { kind: "verify_email", recipient: email, payload: { name: user.name, change, hours: VERIFY_HOURS }, secret: { token } });
}

export async function resendVerification(actor: Actor): Promise<{ ok: true } | Failure> {
  await assertRateLimit("verifyEmail", actor.id);
  const done = await db().transaction(async (tx) => {
    const [u] = await tx.execute<{ id: string; name: string; email: string; verified: boolean }>(sql`
      SELECT id, name, email, email_verified_at IS NOT NULL AS verified FROM users WHERE id = ${actor.id} AND NOT guest`);
    if (!u || u.verified) return false;
    await queueVerification(tx, u, u.email);
    return true;
  });
  if (!done) return fail("conflict", "Your email address is already confirmed.");
  wakeMailer();
  return { ok: true };
}

export type VerifyResult = { ok: true; changed: boolean; email: string; claimed: number };

export async function verifyEmail(token: string): Promise<VerifyResult | Failure> {
  const result = await db().transaction(async (tx): Promise<VerifyResult | Failure | null> => {
    const used = await consumeToken(tx, token, "EMAIL_VERIFY");
    if (!used) return null;
    const [u] = await tx.execute<{ id: string; name: string; email: string }>(sql`SELECT id, name, email FROM users WHERE id = ${used.userId} FOR UPDATE`);
    const changed = u.email.toLowerCase() !== used.email.toLowerCase();
    if (changed) {
      const [taken] = await tx.execute(sql`SELECT 1 FROM users WHERE lower(email) = lower(${used.email}) AND NOT guest AND id <> ${u.id}`);
      if (taken) return fail("email_taken", "Another account uses this address now, so your address was not changed.");
      await tx.execute(sql`UPDATE users SET email = ${used.email}, email_verified_at = now() WHERE id = ${u.id}`);
      await enqueueMail(tx, { kind: "email_changed", recipient: u.email, payload: { name: u.name, newEmail: used.email } });
    } else {
      await tx.execute(sql`UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = ${u.id}`);
    }
    const claimed = await mergeGuestsInto(tx, u.id, used.email);
    return { ok: true, changed, email: used.email, claimed };
  });
  if (!result) return fail("not_found", "This link has expired or was already used. Sign in and ask for a new one from your account page.");
  if (result.ok) wakeMailer();
  return result;
}
