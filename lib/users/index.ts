import "server-only";
import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";
import { users } from "@/db/schema";
import { escapeLike, writeAudit } from "@/lib/audit";
import { ROLES, type Actor, type Role } from "@/lib/auth/roles";
import { AppError, fail, type Failure } from "@/lib/errors";

// User administration (ADMIN only): find accounts and change their role. A role change bumps
// the user's session version in the same statement, so every session and API token issued
// under the old role stops working at once (lib/auth/actor.ts re-reads it on each request),
// and it is written to the audit trail in the same transaction.

export const changeRoleSchema = z.strictObject({
  userId: z.uuid("Pick a user"),
  role: z.enum(ROLES, { message: "Pick a role" }),
});
export type ChangeRoleInput = z.infer<typeof changeRoleSchema>;

export type UserRow = { id: string; name: string; email: string; role: Role; createdAt: string };

const PAGE_SIZE = 25;

function assertAdmin(actor: Actor) {
  if (actor.role !== "ADMIN") throw new AppError("forbidden", "Only admins manage users.");
}

export async function listUsers(actor: Actor, opts: { q?: string; role?: Role; page?: number } = {}) {
  assertAdmin(actor);
  const page = Math.max(1, Math.floor(opts.page ?? 1));
  const q = opts.q?.trim();
  const where = and(
    q ? or(ilike(users.email, `%${escapeLike(q)}%`), ilike(users.name, `%${escapeLike(q)}%`)) : undefined,
    opts.role ? eq(users.role, opts.role) : undefined,
  );
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({ id: users.id, name: users.name, email: users.email, role: users.role, createdAt: users.createdAt })
      .from(users)
      .where(where)
      .orderBy(asc(sql`lower(${users.email})`))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    db()
      .select({ total: sql<number>`count(*)::int` })
      .from(users)
      .where(where),
  ]);
  const items: UserRow[] = rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  return { items, page, pageSize: PAGE_SIZE, total, totalPages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export async function changeUserRole(actor: Actor, input: ChangeRoleInput): Promise<{ ok: true; user: UserRow; changed: boolean } | Failure> {
  assertAdmin(actor);
  const parsed = changeRoleSchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Pick a user and a role.");
  const { userId, role } = parsed.data;
  // An admin demoting themselves could leave nobody able to manage users.
  if (userId === actor.id) return fail("conflict", "You cannot change your own role. Ask another admin to do it.");
  return db().transaction(async (tx) => {
    const [current] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!current) return fail("not_found", "No such user.");
    const view = (u: typeof current): UserRow => ({ id: u.id, name: u.name, email: u.email, role: u.role, createdAt: u.createdAt.toISOString() });
    if (current.role === role) return { ok: true as const, user: view(current), changed: false };
    const [updated] = await tx
      .update(users)
      .set({ role, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId))
      .returning();
    await writeAudit(tx, {
      actorId: actor.id,
      action: "role.change",
      targetType: "user",
      targetId: userId,
      details: { email: current.email, from: current.role, to: role },
    });
    return { ok: true as const, user: view(updated), changed: true };
  });
}
