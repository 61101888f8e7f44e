import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { users, type User } from "@/db/schema";
import { fail, type Failure } from "@/lib/errors";
import { assertRateLimit } from "@/lib/rate-limit";
import { hashPassword, verifyPassword } from "./password";
import { assertSignInAllowed, recordSignIn } from "./sign-in-limits";
import type { Actor } from "./roles";
import type { LoginInput, RegisterInput } from "./schemas";

export function toActor(u: Pick<User, "id" | "email" | "name" | "role"> & { guest?: boolean }): Actor {
  return { id: u.id, email: u.email, name: u.name, role: u.role, ...(u.guest ? { guest: true } : {}) };
}

/** Public view of a user: never the password hash. */
export function publicUser(u: User) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, createdAt: u.createdAt.toISOString() };
}

export async function registerUser(input: RegisterInput, ip: string): Promise<{ ok: true; user: User } | Failure> {
  await assertRateLimit("register", ip);
  const passwordHash = await hashPassword(input.password);
  // The account and the link confirming its address, together (lib/mail/outbox.ts). Imported
  // here, not at the top: test fixtures load this module outside the server (no "server-only").
  const { queueVerification } = await import("@/lib/accounts/verify");
  const { wakeMailer } = await import("@/lib/mail/loop");
  const user = await db().transaction(async (tx) => {
    const [u] = await tx.insert(users).values({ email: input.email, name: input.name, passwordHash, role: "CUSTOMER" }).onConflictDoNothing().returning();
    if (u) await queueVerification(tx, u, u.email);
    return u;
  });
  if (user) wakeMailer();
  if (!user) {
    return fail("email_taken", "An account with this email already exists. Sign in instead.", {
      fields: { email: ["An account with this email already exists"] },
    });
  }
  return { ok: true, user };
}

/**
 * Checks credentials. The guessing limits (lib/auth/sign-in-limits.ts) are asked before any
 * bcrypt work, so a flood of guesses costs Redis, not CPU, and no stranger can lock the owner
 * out. The answer never says which part was wrong.
 */
export async function authenticate(input: LoginInput, address: string): Promise<User | null> {
  await assertSignInAllowed(input.email, address);
  const [user] = await db()
    .select()
    .from(users)
    .where(and(sql`lower(${users.email}) = ${input.email}`, eq(users.guest, false))) // guests have no password
    .limit(1);
  const ok = (await verifyPassword(input.password, user?.passwordHash ?? null)) && !!user;
  await recordSignIn(input.email, address, ok);
  return ok ? user : null;
}

export async function findUserById(id: string): Promise<User | null> {
  const [user] = await db().select().from(users).where(eq(users.id, id)).limit(1);
  return user ?? null;
}

/** Sign-out everywhere, and role changes, revoke every session and API token issued before. */
export async function bumpSessionVersion(userId: string) {
  await db()
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
}
