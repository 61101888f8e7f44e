import "server-only";
import { and, desc, eq, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { db } from "@/db";
import { auditLog, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { normalizeReference } from "@/lib/bookings/reference";
import { AppError } from "@/lib/errors";

// The audit trail: who did what to which thing, and when (the database clock). Entries are
// written in the same transaction as the change they describe, so a change without its entry
// (or an entry for a change that rolled back) cannot exist.

export { AUDIT_ACTIONS, writeAudit, type AuditAction, type AuditEntryInput } from "./write";

export type AuditEntry = {
  id: number;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  createdAt: string;
  actor: { id: string; name: string; email: string } | null;
};

const PAGE_SIZE = 50;

/** Newest first, ADMIN only. `before` pages by id; `q` matches the actor, the target id or a booking reference (either form). */
export async function listAudit(
  actor: Actor,
  opts: { action?: string; q?: string; before?: number } = {},
): Promise<{ items: AuditEntry[]; nextBefore: number | null }> {
  if (actor.role !== "ADMIN") throw new AppError("forbidden", "Only admins can read the audit trail.");
  // PostgreSQL text cannot hold NUL, so no entry matches one: it is dropped, never an error.
  const q = opts.q?.replace(/\u0000/g, "").trim();
  const reference = q ? normalizeReference(q) : null;
  const filters: (SQL | undefined)[] = [
    opts.action ? eq(auditLog.action, opts.action) : undefined,
    opts.before ? lt(auditLog.id, opts.before) : undefined,
    q
      ? or(
          ilike(users.email, `%${escapeLike(q)}%`),
          ilike(users.name, `%${escapeLike(q)}%`),
          eq(auditLog.targetId, q),
          reference ? sql`${auditLog.details}->>'reference' = ${reference}` : undefined,
        )
      : undefined,
  ];
  const rows = await db()
    .select({
      id: auditLog.id,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
      createdAt: auditLog.createdAt,
      actorId: users.id,
      actorName: users.name,
      actorEmail: users.email,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(...filters))
    .orderBy(desc(auditLog.id))
    .limit(PAGE_SIZE + 1);
  const items = rows.slice(0, PAGE_SIZE).map((r) => ({
    id: r.id,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    details: r.details,
    createdAt: r.createdAt.toISOString(),
    actor: r.actorId ? { id: r.actorId, name: r.actorName ?? "", email: r.actorEmail ?? "" } : null,
  }));
  return { items, nextBefore: rows.length > PAGE_SIZE ? items[items.length - 1].id : null };
}

/** Entries about one target (e.g. an event's cancellation and its refunds), newest first. */
export async function auditFor(targetType: string, targetId: string, limit = 50) {
  return db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, targetType), eq(auditLog.targetId, targetId)))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}

export function escapeLike(q: string) {
  // PostgreSQL text cannot hold NUL, and no stored text contains one: searching for it is
  // searching for nothing, not an error.
  return q.replace(/\u0000/g, "").replace(/[\\%_]/g, (c) => `\\${c}`);
}
