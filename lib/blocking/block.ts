import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/roles";
import { findManagedEvent } from "@/lib/auth/event-access";
import { fail, fieldErrors, type Failure } from "@/lib/errors";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { claimable, heldNow } from "@/lib/inventory/places";
import { placeLabel } from "@/lib/seatmap/labels";
import { bigintArray } from "@/lib/sql";
import { offerWaitingLists } from "@/lib/waitlist/offer";
import { blockRequestSchema, unblockRequestSchema, type BlockRequest, type UnblockRequest } from "./schemas";

// Organizers keep places off sale (house seats, press, production holds) and give them back.
// A blocked place has its own inventory status, BLOCKED, which no claim ever takes: the hold's
// claim locks only claimable places (available, or held with the hold run out). Blocking is the
// same kind of fenced, conditional UPDATE as a claim, locking seats in id order like a claim
// does, so a block and a hold racing for one seat serialise on its row lock and exactly one of
// them wins; the other finds the seat no longer claimable. Nothing goes through Redis.
//
// A seat that is held (hold still running) or sold cannot be blocked: it is reported back and
// left alone, and can be blocked once it is free again. Seats are blocked one by one (the
// free ones of a selection); general-admission places by number, all or none.

export type SkippedSeat = { id: number; label: string; state: "held" | "sold" | "blocked" | "unknown" };
export type BlockResult = { ok: true; blocked: number; skipped: SkippedSeat[] } | Failure;
export type UnblockResult = { ok: true; released: number; skipped: SkippedSeat[] } | Failure;

async function openEvent(actor: Actor, eventId: string): Promise<{ id: string; title: string } | Failure> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return fail("not_found", "No such event.");
  if (event.status === "CANCELLED" || event.status === "COMPLETED") return fail("conflict", "This event is closed: its places can no longer change.");
  return { id: event.id, title: event.title };
}

export async function blockPlaces(actor: Actor, eventId: string, input: BlockRequest): Promise<BlockResult> {
  const parsed = blockRequestSchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  const event = await openEvent(actor, eventId);
  if ("ok" in event) return event;
  const req = parsed.data;
  const set = sql`status = 'BLOCKED', reservation_id = NULL, hold_expires_at = NULL, block_reason = ${req.reason}, blocked_by = ${actor.id}, blocked_at = now()`;

  let blocked: number;
  let skipped: SkippedSeat[] = [];
  if ("seatIds" in req) {
    const ids = bigintArray(req.seatIds);
    const [row] = await db().execute<{ blocked: number[] | null; asked: SeatRow[] | null }>(sql`
      WITH want AS (
        SELECT i.id FROM inventory i JOIN event_sections s ON s.id = i.section_id AND s.kind = 'ASSIGNED'
        WHERE i.event_id = ${event.id} AND i.id = ANY(${ids}::bigint[]) AND ${claimable()}
        ORDER BY i.id FOR UPDATE OF i
      ), done AS (
        UPDATE inventory i SET ${set} FROM want WHERE i.id = want.id RETURNING i.id
      )
      SELECT (SELECT json_agg(id) FROM done) AS blocked, ${askedSeats(event.id, ids)} AS asked`);
    const done = new Set((row.blocked ?? []).map(Number));
    blocked = done.size;
    skipped = explain(req.seatIds, done, row.asked ?? []);
  } else {
    const [row] = await db().execute<{ blocked: number; available: number }>(sql`
      WITH want AS (
        SELECT i.id FROM inventory i JOIN event_sections s ON s.id = i.section_id AND s.kind = 'GA'
        WHERE i.event_id = ${event.id} AND i.section_id = ${req.sectionId} AND i.status IN ('AVAILABLE', 'HELD') AND ${claimable()}
        ORDER BY i.status, i.seq DESC LIMIT ${req.quantity}::int FOR UPDATE OF i SKIP LOCKED
      ), done AS (
        UPDATE inventory i SET ${set} FROM want WHERE i.id = want.id AND (SELECT count(*) FROM want) = ${req.quantity}::int RETURNING i.id
      )
      SELECT (SELECT count(*)::int FROM done) AS blocked,
        (SELECT count(*)::int FROM inventory i WHERE i.event_id = ${event.id} AND i.section_id = ${req.sectionId} AND ${claimable()}) AS available`);
    if (row.blocked === 0) {
      return fail("conflict", `Only ${row.available} place${row.available === 1 ? " is" : "s are"} free in this section right now: nothing was blocked.`, {
        available: row.available,
        fields: { quantity: [`At most ${row.available}`] },
      });
    }
    blocked = row.blocked;
  }
  if (blocked > 0) await afterChange(actor, event, "places.block", { blocked, reason: req.reason });
  return { ok: true, blocked, skipped };
}

export async function unblockPlaces(actor: Actor, eventId: string, input: UnblockRequest): Promise<UnblockResult> {
  const parsed = unblockRequestSchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  const event = await openEvent(actor, eventId);
  if ("ok" in event) return event;
  const req = parsed.data;
  const set = sql`status = 'AVAILABLE', block_reason = NULL, blocked_by = NULL, blocked_at = NULL`;
  let released: number;
  let skipped: SkippedSeat[] = [];
  if ("seatIds" in req) {
    const ids = bigintArray(req.seatIds);
    const [row] = await db().execute<{ released: number[] | null; asked: SeatRow[] | null }>(sql`
      WITH done AS (
        UPDATE inventory i SET ${set} WHERE i.event_id = ${event.id} AND i.id = ANY(${ids}::bigint[]) AND i.status = 'BLOCKED' RETURNING i.id
      )
      SELECT (SELECT json_agg(id) FROM done) AS released, ${askedSeats(event.id, ids)} AS asked`);
    const done = new Set((row.released ?? []).map(Number));
    released = done.size;
    skipped = explain(req.seatIds, done, row.asked ?? []).filter((s) => s.state === "unknown");
  } else {
    const [row] = await db().execute<{ released: number }>(sql`
      WITH want AS (
        SELECT i.id FROM inventory i WHERE i.event_id = ${event.id} AND i.section_id = ${req.sectionId} AND i.status = 'BLOCKED'
        ORDER BY i.seq LIMIT ${req.quantity}::int FOR UPDATE OF i SKIP LOCKED
      ), done AS (UPDATE inventory i SET ${set} FROM want WHERE i.id = want.id RETURNING i.id)
      SELECT count(*)::int AS released FROM done`);
    released = row.released;
  }
  if (released > 0) {
    // Places back on sale go to the waiting list first, if anyone is waiting.
    await offerWaitingLists({ eventId: event.id });
    await afterChange(actor, event, "places.unblock", { released });
  }
  return { ok: true, released, skipped };
}

type SeatRow = { id: number; section: string; row: string | null; seat: string | null; status: string; live: boolean };

// The asked seats as they are after the statement's writes were planned (the statement's own
// snapshot): enough to say which ones were not changed and why.
function askedSeats(eventId: string, ids: string) {
  return sql`(SELECT json_agg(json_build_object('id', i.id, 'section', s.name, 'row', i.row_label, 'seat', i.seat_number,
      'status', i.status, 'live', ${heldNow()}))
    FROM inventory i JOIN event_sections s ON s.id = i.section_id AND s.kind = 'ASSIGNED'
    WHERE i.event_id = ${eventId} AND i.id = ANY(${ids}::bigint[]))`;
}

function explain(asked: number[], done: Set<number>, rows: SeatRow[]): SkippedSeat[] {
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return asked
    .filter((id) => !done.has(id))
    .map((id) => {
      const r = byId.get(id);
      if (!r) return { id, label: `seat ${id}`, state: "unknown" as const };
      const label = placeLabel({ sectionName: r.section, rowLabel: r.row, seatNumber: r.seat });
      const state = r.status === "SOLD" ? "sold" : r.status === "BLOCKED" ? "blocked" : "held";
      return { id, label, state };
    });
}

async function afterChange(actor: Actor, event: { id: string; title: string }, action: "places.block" | "places.unblock", details: Record<string, unknown>) {
  // Blocking the last free places sells the event out; giving places back may reopen it.
  await refreshEventStatuses(db(), event.id);
  await writeAudit(db(), { actorId: actor.id, action, targetType: "event", targetId: event.id, details: { title: event.title, ...details } });
}
