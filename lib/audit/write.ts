import type { DbOrTx } from "@/db";
import { auditLog } from "@/db/schema";

// Writing audit entries, without "server-only": domain code that command-line tools and tests
// load too (venues, events) writes its entries through here. Reading the trail stays in index.ts.

export const AUDIT_ACTIONS = [
  "role.change",
  "event.cancel",
  "booking.refund",
  "event.publish",
  "venue.create",
  "venue.update",
  "places.block",
  "places.unblock",
  "booking.cancel",
  "event.cancellation_policy",
  "booking.staff_order",
  "ticket_type.create",
  "ticket_type.update",
  "ticket_type.retire",
  "promo_code.create",
  "promo_code.deactivate",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditEntryInput = {
  actorId: string | null;
  action: AuditAction;
  targetType: "user" | "event" | "booking" | "venue";
  targetId: string;
  details?: Record<string, unknown>;
};

export async function writeAudit(q: DbOrTx, entries: AuditEntryInput | AuditEntryInput[]) {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  await q.insert(auditLog).values(list.map((e) => ({ ...e, details: e.details ?? {} })));
}
