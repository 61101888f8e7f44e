import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import type { Actor } from "@/lib/auth/roles";
import { fail, type Failure } from "@/lib/errors";
import { wakeMailer } from "@/lib/mail/loop";
import { enqueueMail } from "@/lib/mail/outbox";
import { assertRateLimit } from "@/lib/rate-limit";
import { queueVerification } from "./verify";

// Changes on the account page. Both ask for the current password (a session left open on a
// shared computer must not be enough), limited per account like sign-in. A new password signs
// every other session and API token out; a new address takes effect only once a link sent to
// it is used (lib/accounts/verify.ts), and the old address is told then.

async function checkPassword(actor: Actor, password: string): Promise<{ id: string; name: string; email: string } | Failure> {
  await assertRateLimit("accountChange", actor.id);
  const [u] = await db().execute<{ id: string; name: string; email: string; password_hash: string | null }>(sql`
    SELECT id, name, email, password_hash FROM users WHERE id = ${actor.id} AND NOT guest`);
  if (!u) return fail("forbidden", "Guest checkouts have no password. Choose one through “Forgot your password?” first.");
  if (!(await verifyPassword(password, u.password_hash)))
    return fail("invalid_credentials", "Your current password is not right.", { fields: { currentPassword: ["Your current password is not right"] } });
  return u;
}

export async function changePassword(
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<{ ok: true; sessionVersion: number } | Failure> {
  const u = await checkPassword(actor, input.currentPassword);
  if ("ok" in u) return u;
  const hash = await hashPassword(input.newPassword);
  const sv = await db().transaction(async (tx) => {
    const [row] = await tx.execute<{ session_version: number }>(sql`
      UPDATE users SET password_hash = ${hash}, session_version = session_version + 1 WHERE id = ${u.id} RETURNING session_version`);
    await enqueueMail(tx, { kind: "password_changed", recipient: u.email, payload: { name: u.name } });
    return row.session_version;
  });
  wakeMailer();
  return { ok: true, sessionVersion: sv };
}

export async function requestEmailChange(actor: Actor, input: { newEmail: string; currentPassword: string }): Promise<{ ok: true } | Failure> {
  const u = await checkPassword(actor, input.currentPassword);
  if ("ok" in u) return u;
  if (u.email.toLowerCase() === input.newEmail)
    return fail("validation_failed", "That is already your address.", { fields: { newEmail: ["That is already your address"] } });
  // Whether another account has this address is not said here (nobody learns who has an
  // account); using the link checks it.
  await db().transaction((tx) => queueVerification(tx, u, input.newEmail, true));
  wakeMailer();
  return { ok: true };
}
