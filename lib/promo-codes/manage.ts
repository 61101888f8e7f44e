import "server-only";
import { sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db";
import { writeAudit } from "@/lib/audit";
import { findManagedEvent } from "@/lib/auth/event-access";
import type { Actor } from "@/lib/auth/roles";
import { fail, fieldErrors, type Failure } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { isoTs } from "@/lib/sql";
import { promoCodeInputSchema, type ManagedPromoCode, type PromoCodeRequest } from "./schemas";

// The organizer's discount codes (docs/promo-codes.md): create, list with their use counts,
// deactivate. Checked on every call against the acting user's current role and ownership
// (findManagedEvent): another organizer's event reads as missing. A code is never deleted or
// changed (its redemptions point at it); deactivating stops new checkouts from using it.

export type PromoCodeOutcome = { ok: true; promoCode: ManagedPromoCode } | Failure;
const missing = () => fail("not_found", "This event does not exist or is not yours.");

export async function listPromoCodes(actor: Actor, eventId: string): Promise<{ ok: true; items: ManagedPromoCode[] } | Failure> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return missing();
  return { ok: true, items: await readCodes(db(), event.id) };
}

export async function createPromoCode(actor: Actor, eventId: string, input: PromoCodeRequest): Promise<PromoCodeOutcome> {
  const parsed = promoCodeInputSchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  const event = await findManagedEvent(actor, eventId);
  if (!event) return missing();
  if (event.status === "CANCELLED" || event.status === "COMPLETED") return fail("conflict", "This event is closed: it takes no new codes.");
  const d = parsed.data;
  const [row] = await db().execute<{ id: string | null; bad_sections: number; bad_types: number }>(sql`
    WITH bad AS (
      SELECT
        (SELECT count(*) FROM unnest(${pgUuids(d.sectionIds)}::uuid[]) x WHERE NOT EXISTS (SELECT 1 FROM event_sections s WHERE s.id = x AND s.event_id = ${event.id}))::int AS bad_sections,
        (SELECT count(*) FROM unnest(${pgUuids(d.ticketTypeIds)}::uuid[]) x WHERE NOT EXISTS (SELECT 1 FROM ticket_types t WHERE t.id = x AND t.event_id = ${event.id}))::int AS bad_types
    ),
    ins AS (
      INSERT INTO promo_codes (event_id, code, kind, amount, valid_from, valid_until, max_uses, max_uses_per_customer, section_ids, ticket_type_ids)
      SELECT ${event.id}, ${d.code}, ${d.kind}, ${d.amount}, ${d.validFrom}::timestamptz, ${d.validUntil}::timestamptz, ${d.maxUses}::int,
        ${d.maxUsesPerCustomer}::int, ${d.sectionIds ? pgUuids(d.sectionIds) : null}::uuid[], ${d.ticketTypeIds ? pgUuids(d.ticketTypeIds) : null}::uuid[]
      FROM bad WHERE bad_sections = 0 AND bad_types = 0
      ON CONFLICT DO NOTHING
      RETURNING id
    )
    SELECT (SELECT id FROM ins) AS id, bad.bad_sections, bad.bad_types FROM bad`);
  if (row.bad_sections > 0) return fail("validation_failed", "Pick sections of this event.", { fields: { sectionIds: ["Pick sections of this event"] } });
  if (row.bad_types > 0)
    return fail("validation_failed", "Pick ticket types of this event.", { fields: { ticketTypeIds: ["Pick ticket types of this event"] } });
  if (!row.id)
    return fail("validation_failed", `This event already has the code ${d.code}.`, { fields: { code: ["Already used for this event (in any case)"] } });
  await writeAudit(db(), {
    actorId: actor.id,
    action: "promo_code.create",
    targetType: "event",
    targetId: event.id,
    details: { codeId: row.id, code: d.code, kind: d.kind, amount: d.amount },
  });
  return done(event.id, row.id);
}

export async function deactivatePromoCode(actor: Actor, eventId: string, codeId: string): Promise<PromoCodeOutcome> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return missing();
  if (!isUuid(codeId)) return fail("not_found", "No such code for this event.");
  const [row] = await db().execute<{ id: string }>(sql`
    UPDATE promo_codes SET active = false WHERE id = ${codeId} AND event_id = ${event.id} RETURNING id`);
  if (!row) return fail("not_found", "No such code for this event.");
  await writeAudit(db(), { actorId: actor.id, action: "promo_code.deactivate", targetType: "event", targetId: event.id, details: { codeId } });
  return done(event.id, codeId);
}

async function done(eventId: string, codeId: string): Promise<PromoCodeOutcome> {
  const promoCode = (await readCodes(db(), eventId)).find((c) => c.id === codeId);
  if (!promoCode) return fail("not_found", "No such code for this event.");
  return { ok: true, promoCode };
}

const pgUuids = (list: string[] | null) => `{${(list ?? []).join(",")}}`;

/** Every code of the event with its counts (the codes page and REST; the dashboard reads lib/promo-codes/counts.ts). */
export async function readCodes(q: DbOrTx, eventId: string): Promise<ManagedPromoCode[]> {
  return q.execute<ManagedPromoCode>(sql`
    SELECT pc.id, pc.code, pc.kind, pc.amount, ${isoTs(sql`pc.valid_from`)} AS "validFrom", ${isoTs(sql`pc.valid_until`)} AS "validUntil",
      pc.max_uses AS "maxUses", pc.max_uses_per_customer AS "maxUsesPerCustomer", pc.section_ids AS "sectionIds",
      pc.ticket_type_ids AS "ticketTypeIds", pc.active,
      (CASE WHEN pc.kind = 'ACCESS' THEN (SELECT count(*) FROM access_grants g WHERE g.code_id = pc.id)
        ELSE (SELECT count(*) FROM promo_redemptions r WHERE r.code_id = pc.id) END)::int AS used,
      (SELECT count(*) FROM checkouts c WHERE c.promo_code_id = pc.id AND c.state IN ('STARTED', 'CHARGED'))::int AS pending,
      (SELECT coalesce(sum(r.discount_minor), 0) FROM promo_redemptions r WHERE r.code_id = pc.id)::int AS "discountMinor"
    FROM promo_codes pc WHERE pc.event_id = ${eventId}
    ORDER BY pc.created_at, pc.code`);
}
