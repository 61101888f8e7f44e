import "server-only";
import { sql } from "drizzle-orm";
import { db, type DbOrTx, type Tx } from "@/db";
import { writeAudit } from "@/lib/audit";
import { findManagedEvent } from "@/lib/auth/event-access";
import type { Actor } from "@/lib/auth/roles";
import { fail, fieldErrors, type Failure } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { isoTs } from "@/lib/sql";
import { takenOfType } from "./offers";
import { ticketTypeInputSchema, type ManagedTicketType, type TicketTypeInput, type TicketTypeRequest } from "./schemas";

// The organizer's ticket types (docs/box-office.md): create, change, retire, list. Checked on
// every call against the acting user's current role and ownership (findManagedEvent): another
// organizer's event reads as missing. Name, note, order and limit change in place; prices never
// do: a change inserts a new price version valid from now (ticket_type_prices), so holds made
// before keep theirs and sold tickets carry their own price. A type is retired, never deleted.
// Each change locks the type's row, as a checkout start does before counting against the limit,
// so a limit lowered below what is already taken is refused exactly.

export type TicketTypeOutcome = { ok: true; ticketType: ManagedTicketType } | Failure;

const closed = () => fail("conflict", "This event is closed: its ticket types can no longer change.");

async function openEvent(actor: Actor, eventId: string) {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return fail("not_found", "This event does not exist or is not yours.");
  if (event.status === "CANCELLED" || event.status === "COMPLETED") return closed();
  return event;
}

export async function listTicketTypes(actor: Actor, eventId: string): Promise<{ ok: true; items: ManagedTicketType[] } | Failure> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return fail("not_found", "This event does not exist or is not yours.");
  return { ok: true, items: await readTypes(db(), event.id) };
}

export async function createTicketType(actor: Actor, eventId: string, input: TicketTypeRequest): Promise<TicketTypeOutcome> {
  const parsed = ticketTypeInputSchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  const event = await openEvent(actor, eventId);
  if ("ok" in event) return event;
  const data = parsed.data;
  return db().transaction(async (tx) => {
    const refusal = (await sectionRefusal(tx, event.id, data)) ?? (await nameRefusal(tx, event.id, data.name, null));
    if (refusal) return refusal;
    const [row] = await tx.execute<{ id: string }>(sql`
      INSERT INTO ticket_types (event_id, name, note, sort_order, limit_quantity)
      VALUES (${event.id}, ${data.name}, ${data.note}, ${data.sortOrder}, ${data.limit})
      RETURNING id`);
    await writePrices(tx, actor, event.id, row.id, data);
    await writeAudit(tx, { actorId: actor.id, action: "ticket_type.create", targetType: "event", targetId: event.id, details: auditOf(row.id, data) });
    return done(tx, event.id, row.id);
  });
}

export async function updateTicketType(actor: Actor, eventId: string, typeId: string, input: TicketTypeRequest): Promise<TicketTypeOutcome> {
  const parsed = ticketTypeInputSchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  const event = await openEvent(actor, eventId);
  if ("ok" in event) return event;
  const data = parsed.data;
  return db().transaction(async (tx) => {
    const current = await lockType(tx, event.id, typeId);
    if (!current) return fail("not_found", "No such ticket type for this event.");
    if (current.retired) return fail("conflict", "This ticket type is retired: create a new one instead.");
    const refusal = (await sectionRefusal(tx, event.id, data)) ?? (await nameRefusal(tx, event.id, data.name, typeId));
    if (refusal) return refusal;
    if (data.limit !== null && data.limit < current.taken) {
      return fail("validation_failed", `${current.taken} ${current.name} tickets are already sold or being paid for.`, {
        fields: { limit: [`At least ${current.taken} (already sold or being paid for), or no limit`] },
      });
    }
    await tx.execute(sql`
      UPDATE ticket_types SET name = ${data.name}, note = ${data.note}, sort_order = ${data.sortOrder}, limit_quantity = ${data.limit}, updated_at = now()
      WHERE id = ${typeId}`);
    await writePrices(tx, actor, event.id, typeId, data);
    await writeAudit(tx, { actorId: actor.id, action: "ticket_type.update", targetType: "event", targetId: event.id, details: auditOf(typeId, data) });
    return done(tx, event.id, typeId);
  });
}

/** Offered to no hold made from now on; holds made before keep it, sold tickets keep it. */
export async function retireTicketType(actor: Actor, eventId: string, typeId: string): Promise<TicketTypeOutcome> {
  const event = await openEvent(actor, eventId);
  if ("ok" in event) return event;
  return db().transaction(async (tx) => {
    const current = await lockType(tx, event.id, typeId);
    if (!current) return fail("not_found", "No such ticket type for this event.");
    if (!current.retired) {
      await tx.execute(sql`UPDATE ticket_types SET retired_at = now(), updated_at = now() WHERE id = ${typeId}`);
      await writeAudit(tx, {
        actorId: actor.id,
        action: "ticket_type.retire",
        targetType: "event",
        targetId: event.id,
        details: { ticketTypeId: typeId, name: current.name },
      });
    }
    return done(tx, event.id, typeId);
  });
}

async function lockType(tx: Tx, eventId: string, typeId: string) {
  if (!isUuid(typeId)) return null;
  const [row] = await tx.execute<{ name: string; retired: boolean; taken: number }>(sql`
    SELECT t.name, t.retired_at IS NOT NULL AS retired FROM ticket_types t WHERE t.id = ${typeId} AND t.event_id = ${eventId} FOR UPDATE`);
  if (!row) return null;
  // Counted after the lock, in a statement of its own: it sees every checkout committed before.
  const [count] = await tx.execute<{ taken: number }>(sql`SELECT ${takenOfType(sql`${typeId}::uuid`, sql`${eventId}::uuid`)} AS taken`);
  return { ...row, taken: count.taken };
}

async function sectionRefusal(tx: Tx, eventId: string, data: TicketTypeInput): Promise<Failure | null> {
  const rows = await tx.execute<{ id: string }>(sql`SELECT id FROM event_sections WHERE event_id = ${eventId}`);
  const ours = new Set(rows.map((r) => r.id));
  const fields: Record<string, string[]> = {};
  data.prices.forEach((p, i) => {
    if (!ours.has(p.sectionId)) fields[`prices.${i}.sectionId`] = ["Not a section of this event"];
  });
  return Object.keys(fields).length ? fail("validation_failed", "Some sections are not sections of this event.", { fields }) : null;
}

async function nameRefusal(tx: Tx, eventId: string, name: string, except: string | null): Promise<Failure | null> {
  const [row] = await tx.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM ticket_types
    WHERE event_id = ${eventId} AND lower(name) = lower(${name}) AND retired_at IS NULL AND (${except}::uuid IS NULL OR id <> ${except}::uuid)`);
  return row.n > 0
    ? fail("validation_failed", "This event already has a ticket type with that name.", { fields: { name: ["Already used for this event"] } })
    : null;
}

/** A new version for each section whose price changes; sections no longer offered get a version without a price. */
async function writePrices(tx: Tx, actor: Actor, eventId: string, typeId: string, data: TicketTypeInput) {
  const wanted = JSON.stringify(data.prices.map((p) => ({ sectionId: p.sectionId, priceMinor: p.priceMinor })));
  await tx.execute(sql`
    WITH cur AS (
      SELECT DISTINCT ON (section_id) section_id, price_minor FROM ticket_type_prices
      WHERE ticket_type_id = ${typeId} ORDER BY section_id, valid_from DESC, id DESC
    ),
    want AS (SELECT (x->>'sectionId')::uuid AS section_id, (x->>'priceMinor')::int AS price_minor FROM jsonb_array_elements(${wanted}::jsonb) x),
    next AS (
      SELECT coalesce(w.section_id, c.section_id) AS section_id, w.price_minor
      FROM want w FULL JOIN cur c ON c.section_id = w.section_id
      WHERE c.section_id IS NULL OR w.price_minor IS DISTINCT FROM c.price_minor
    )
    INSERT INTO ticket_type_prices (event_id, ticket_type_id, section_id, price_minor, created_by)
    SELECT ${eventId}, ${typeId}, section_id, price_minor, ${actor.id} FROM next`);
}

function auditOf(typeId: string, d: TicketTypeInput) {
  return { ticketTypeId: typeId, name: d.name, limit: d.limit, prices: d.prices };
}

async function done(tx: Tx, eventId: string, typeId: string): Promise<TicketTypeOutcome> {
  const [t] = (await readTypes(tx, eventId)).filter((x) => x.id === typeId);
  return { ok: true, ticketType: t };
}

/** Every type of the event (retired ones last) with the prices in force now and what it sold. */
export async function readTypes(q: DbOrTx, eventId: string): Promise<ManagedTicketType[]> {
  const rows = await q.execute<ManagedTicketType>(sql`
    SELECT t.id, t.name, t.note, t.sort_order AS "sortOrder", t.limit_quantity AS "limit",
      ${isoTs(sql`t.retired_at`)} AS "retiredAt",
      (SELECT count(*)::int FROM tickets tk WHERE tk.ticket_type_id = t.id AND tk.status <> 'VOID') AS sold,
      ${takenOfType(sql`t.id`, sql`t.event_id`)} AS taken,
      (SELECT coalesce(json_agg(json_build_object('sectionId', v.section_id, 'sectionName', s.name, 'priceMinor', v.price_minor) ORDER BY s.sort_order), '[]')
        FROM (SELECT DISTINCT ON (section_id) section_id, price_minor FROM ticket_type_prices
              WHERE ticket_type_id = t.id AND valid_from <= now() ORDER BY section_id, valid_from DESC, id DESC) v
        JOIN event_sections s ON s.id = v.section_id WHERE v.price_minor IS NOT NULL) AS prices
    FROM ticket_types t WHERE t.event_id = ${eventId}
    ORDER BY t.retired_at IS NOT NULL, t.sort_order, lower(t.name), t.id`);
  return [...rows];
}
