import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { isoTs } from "@/lib/sql";

// The codes panel of the event dashboard (docs/promo-codes.md, "On the event dashboard"): one
// statement for every code of the event. The caller has checked the organizer's ownership
// (getEventDashboard in lib/dashboard/stats.ts reads it only for a managed event).
//
// A discount code's uses are its redemptions (bookings made with it, whatever became of them:
// a refunded booking keeps its use) out of maxUses, plus the checkouts being paid with it, which
// count against the limit until they end. An access code limits the customers it unlocks
// (grants, out of maxUses); its "bookings" are the bookings of the event made by those customers
// after they entered it, and nothing else counts against it.

export type DashboardCode = {
  id: string;
  code: string;
  kind: "PERCENT" | "FIXED" | "ACCESS";
  amount: number;
  active: boolean;
  maxUses: number | null;
  validFrom: string | null; // ISO instants; shown on the venue's clock
  validUntil: string | null;
  bookings: number;
  pending: number;
  discountMinor: number;
  unlocked: number | null; // ACCESS only: customers who entered it
};

export async function eventCodeCounts(q: DbOrTx, eventId: string): Promise<DashboardCode[]> {
  const rows = await q.execute<DashboardCode>(sql`
    SELECT pc.id, pc.code, pc.kind, pc.amount, pc.active, pc.max_uses AS "maxUses",
      ${isoTs(sql`pc.valid_from`)} AS "validFrom", ${isoTs(sql`pc.valid_until`)} AS "validUntil",
      (CASE WHEN pc.kind = 'ACCESS' THEN
        (SELECT count(*) FROM bookings b WHERE b.event_id = pc.event_id
          AND EXISTS (SELECT 1 FROM access_grants g WHERE g.code_id = pc.id AND g.user_id = b.user_id AND g.created_at <= b.created_at))
        ELSE (SELECT count(*) FROM promo_redemptions r WHERE r.code_id = pc.id) END)::int AS bookings,
      (SELECT count(*) FROM checkouts c WHERE c.promo_code_id = pc.id AND c.state IN ('STARTED', 'CHARGED'))::int AS pending,
      (SELECT coalesce(sum(r.discount_minor), 0) FROM promo_redemptions r WHERE r.code_id = pc.id)::int AS "discountMinor",
      (CASE WHEN pc.kind = 'ACCESS' THEN (SELECT count(*) FROM access_grants g WHERE g.code_id = pc.id)::int END) AS unlocked
    FROM promo_codes pc WHERE pc.event_id = ${eventId}
    ORDER BY pc.created_at, pc.code`);
  return [...rows];
}
