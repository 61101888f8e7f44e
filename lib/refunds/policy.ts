import "server-only";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { events } from "@/db/schema";
import { writeAudit } from "@/lib/audit/write";
import type { Actor } from "@/lib/auth/roles";
import { findManagedEvent, mayManageEvent } from "@/lib/auth/event-access";
import { fail, fieldErrors, type Failure } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { policyOf } from "./policy-rules";
import { cancellationPolicySchema, type CancellationPolicy } from "./schemas";

// The per-event customer cancellation policy (docs/refunds.md): customers may cancel their own
// bookings until N hours before the start, or not at all (the default); the event keeps a fee —
// a fixed amount per cancellation, or a percentage of the tickets' price, rounded down in the
// customer's favour and never more than the tickets cost.

export { cancellationFee, describePolicy, policyOf } from "./policy-rules";

/** The policy of a published event (anyone), or of any event its organizer or an admin manages. */
export async function getCancellationPolicy(actor: Actor | null, eventId: string): Promise<CancellationPolicy | null> {
  if (!isUuid(eventId)) return null;
  const [e] = await db().select().from(events).where(eq(events.id, eventId)).limit(1);
  if (!e) return null;
  const staff = actor && mayManageEvent(actor, e);
  if (!e.publishedAt && !staff) return null;
  return policyOf(e);
}

/** Sets an event's policy: its organizer or an admin (current role). Applies to cancellations from now on. */
export async function setCancellationPolicy(actor: Actor, eventId: string, input: unknown): Promise<{ ok: true; policy: CancellationPolicy } | Failure> {
  if (actor.role !== "ADMIN" && actor.role !== "ORGANIZER") return fail("forbidden", "Only organizers and admins can change an event's cancellation policy.");
  const parsed = cancellationPolicySchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  const p = parsed.data;
  return db().transaction(async (tx) => {
    const e = await findManagedEvent(actor, eventId, tx, true);
    if (!e) return fail("not_found", "This event does not exist or is not yours.");
    const hours = p.allowed ? p.hoursBefore : null;
    const [updated] = await tx
      .update(events)
      .set({
        customerCancelHours: hours,
        customerCancelFeeMinor: p.allowed ? p.feeMinor : 0,
        customerCancelFeePercent: p.allowed ? p.feePercent : 0,
        version: sql`${events.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(events.id, e.id))
      .returning();
    const policy = policyOf(updated);
    await writeAudit(tx, {
      actorId: actor.id,
      action: "event.cancellation_policy",
      targetType: "event",
      targetId: e.id,
      details: { title: e.title, hoursBefore: policy.hoursBefore, feeMinor: policy.feeMinor, feePercent: policy.feePercent, currency: policy.currency },
    });
    return { ok: true as const, policy };
  });
}
