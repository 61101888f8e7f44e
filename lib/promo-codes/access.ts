import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { fail, type Failure } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { isoTs } from "@/lib/sql";
import { openAccessCode } from "./hidden";

// Access codes (kind ACCESS, docs/promo-codes.md): a customer who enters one gets a grant
// (access_grants) that lets them hold places before the public sale opens, while the code is
// valid (its valid_from/valid_until are the presale window) and active. The ordinary hold never
// reads grants: only a hold refused because the sale has not started takes the step-by-step
// path, whose context (lib/holds/context.ts) asks presaleOpen(). A code's max_uses caps the
// customers it unlocks, counted under a lock on its row.

export type AccessGrant = { code: string; presaleFrom: string | null; presaleUntil: string | null; presaleOpen: boolean };

/** SQL: the customer holds a grant of an active access code of the event whose window is open now. */
export function presaleOpen(eventId: SQL, userId: string): SQL {
  return sql`EXISTS (
    SELECT 1 FROM access_grants g JOIN promo_codes pc ON pc.id = g.code_id
    WHERE g.event_id = ${eventId} AND g.user_id = ${userId}::uuid AND ${openAccessCode})`;
}

export async function unlockWithAccessCode(actor: Pick<Actor, "id">, eventId: string, code: string): Promise<{ ok: true; grant: AccessGrant } | Failure> {
  if (!isUuid(eventId)) return fail("not_found", "No such event.");
  const unknown = () =>
    fail("validation_failed", `We do not know the access code ${code.trim().toUpperCase()} for this event. Check its spelling.`, {
      fields: { code: ["Unknown access code for this event"] },
    });
  return db().transaction(async (tx) => {
    const [pc] = await tx.execute<{
      id: string;
      code: string;
      active: boolean;
      max_uses: number | null;
      expired: boolean;
      from: string | null;
      until: string | null;
    }>(sql`
      SELECT pc.id, pc.code, pc.active, pc.max_uses, (pc.valid_until IS NOT NULL AND now() >= pc.valid_until) AS expired,
        ${isoTs(sql`pc.valid_from`)} AS "from", ${isoTs(sql`pc.valid_until`)} AS "until"
      FROM promo_codes pc JOIN events e ON e.id = pc.event_id AND e.published_at IS NOT NULL
      WHERE pc.event_id = ${eventId}::uuid AND lower(pc.code) = lower(${code.trim()}) AND pc.kind = 'ACCESS'
      FOR UPDATE OF pc`);
    if (!pc) return unknown();
    if (!pc.active) return fail("validation_failed", "This access code is no longer valid.", { fields: { code: ["No longer valid"] } });
    if (pc.expired) return fail("validation_failed", "This access code has expired.", { fields: { code: ["Expired"] } });
    // Counted after the lock: a new statement, a new snapshot that sees every grant committed before.
    const [row] = await tx.execute<{ mine: boolean; used: number }>(sql`
      SELECT EXISTS (SELECT 1 FROM access_grants WHERE code_id = ${pc.id} AND user_id = ${actor.id}) AS mine,
        (SELECT count(*) FROM access_grants WHERE code_id = ${pc.id})::int AS used`);
    if (!row.mine) {
      if (pc.max_uses !== null && row.used >= pc.max_uses) {
        return fail("validation_failed", "This access code has been used by as many customers as it allows.", { fields: { code: ["Used up"] } });
      }
      await tx.execute(sql`INSERT INTO access_grants (code_id, event_id, user_id) VALUES (${pc.id}, ${eventId}, ${actor.id}) ON CONFLICT DO NOTHING`);
    }
    const [open] = await tx.execute<{ open: boolean }>(sql`SELECT ${presaleOpen(sql`${eventId}::uuid`, actor.id)} AS open`);
    return { ok: true as const, grant: { code: pc.code, presaleFrom: pc.from, presaleUntil: pc.until, presaleOpen: open.open } };
  });
}

/** The customer's grant for the event, for the event page (null: none). */
export async function myAccessGrant(actor: Pick<Actor, "id">, eventId: string): Promise<AccessGrant | null> {
  if (!isUuid(eventId)) return null;
  const [row] = await db().execute<AccessGrant>(sql`
    SELECT pc.code, ${isoTs(sql`pc.valid_from`)} AS "presaleFrom", ${isoTs(sql`pc.valid_until`)} AS "presaleUntil",
      ${presaleOpen(sql`${eventId}::uuid`, actor.id)} AS "presaleOpen"
    FROM access_grants g JOIN promo_codes pc ON pc.id = g.code_id
    WHERE g.event_id = ${eventId}::uuid AND g.user_id = ${actor.id} AND pc.active
    ORDER BY g.created_at DESC LIMIT 1`);
  return row ?? null;
}
