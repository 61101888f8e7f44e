import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { findManagedEvent, mayManageEvent } from "@/lib/auth/event-access";
import { fail, type Failure } from "@/lib/errors";
import { normalizeReference } from "@/lib/bookings/reference";
import { verifyTicketPayload } from "@/lib/tickets";
import { normalizeShortCode } from "@/lib/tickets/short-code";

// Door check-in. A ticket is admitted by ONE conditional UPDATE ... WHERE status = 'VALID'
// RETURNING: when two doors scan the same ticket at the same moment, Postgres serialises the
// two updates on the row and the second finds the status already USED, so exactly one door
// says "valid". Only when that update matches nothing do we read the ticket to explain why.
// A ticket is found by its QR payload, by the code printed under the QR code (typed in any case,
// with or without separators; unique within the event, so it is looked up in this event only),
// or by the long code inside the QR payload.

export const checkInSchema = z.strictObject({
  code: z.string().trim().min(1, "Scan a ticket or type its code").max(300, "That is too long for a ticket code"),
});

const TICKET_CODE = /^[A-Za-z0-9_-]{16,64}$/;

export type TicketInfo = {
  id: string;
  shortCode: string;
  sectionName: string;
  rowLabel: string | null;
  seatNumber: string | null;
  ticketTypeName: string | null; // Child, Concession…: what the door may need to check (ID, age)
  holderName: string;
  reference: string;
};
export type CheckInOutcome =
  | { ok: true; outcome: "valid"; ticket: TicketInfo; checkedInAt: string }
  | { ok: true; outcome: "already_used"; ticket: TicketInfo; checkedInAt: string; checkedInBy: string | null }
  | { ok: true; outcome: "void"; ticket: TicketInfo }
  | { ok: true; outcome: "wrong_event"; otherEventTitle: string | null }
  | { ok: true; outcome: "unknown"; looksLike?: "booking_reference" }; // a booking reference typed instead of a ticket code

type Row = {
  id: string;
  short_code: string;
  event_id: string;
  organizer_id: string;
  event_title: string;
  status: "VALID" | "USED" | "VOID";
  checked_in_at: string | null;
  checked_in_by: string | null;
  section_name: string;
  row_label: string | null;
  seat_number: string | null;
  ticket_type_name: string | null;
  holder_name: string;
  reference: string;
};

export type TicketKey = { by: "qr"; ticketId: string; code: string } | { by: "code"; code: string } | { by: "short"; shortCode: string } | { by: "reference" };

/** What was scanned or typed → what to look the ticket up by (null: it cannot be a ticket). */
export function parseTicketInput(raw: string): TicketKey | null {
  const text = raw.trim();
  if (text.startsWith("TK1.")) {
    const v = verifyTicketPayload(text);
    return v ? { by: "qr", ticketId: v.ticketId, code: v.code } : null;
  }
  if (TICKET_CODE.test(text)) return { by: "code", code: text };
  const shortCode = normalizeShortCode(text);
  if (shortCode) return { by: "short", shortCode };
  return normalizeReference(text) ? { by: "reference" } : null;
}

function matchOf(key: Exclude<TicketKey, { by: "reference" }>, eventId: string) {
  if (key.by === "qr") return sql`t.id = ${key.ticketId} AND t.code = ${key.code}`;
  if (key.by === "code") return sql`t.code = ${key.code}`;
  return sql`t.event_id = ${eventId} AND t.short_code = ${key.shortCode}`;
}

export async function checkInTicket(actor: Actor, eventId: string, rawCode: string): Promise<CheckInOutcome | Failure> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return fail("not_found", "No such event.");
  const parsed = checkInSchema.safeParse({ code: rawCode });
  if (!parsed.success) return fail("validation_failed", "Scan a ticket or type its code.", { fields: { code: parsed.error.issues.map((i) => i.message) } });
  const key = parseTicketInput(parsed.data.code);
  if (!key) return { ok: true, outcome: "unknown" };
  if (key.by === "reference") return { ok: true, outcome: "unknown", looksLike: "booking_reference" };
  const match = matchOf(key, event.id);

  const admitted = await db().execute<{ id: string; checked_in_at: string }>(sql`
    UPDATE tickets t SET status = 'USED', checked_in_at = now(), checked_in_by = ${actor.id}
    WHERE ${match} AND t.event_id = ${event.id} AND t.status = 'VALID'
    RETURNING t.id, to_char(t.checked_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS checked_in_at`);

  const [row] = await db().execute<Row>(sql`
    SELECT t.id, t.short_code, t.event_id, e.organizer_id, e.title AS event_title, t.status,
      to_char(t.checked_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS checked_in_at,
      cu.name AS checked_in_by, s.name AS section_name, i.row_label, i.seat_number, ty.name AS ticket_type_name, u.name AS holder_name, b.reference
    FROM tickets t
    JOIN events e ON e.id = t.event_id
    JOIN bookings b ON b.id = t.booking_id
    JOIN users u ON u.id = b.user_id
    JOIN event_sections s ON s.id = t.section_id
    JOIN inventory i ON i.id = t.inventory_id
    LEFT JOIN users cu ON cu.id = t.checked_in_by
    LEFT JOIN ticket_types ty ON ty.id = t.ticket_type_id
    WHERE ${match}`);
  if (!row) return { ok: true, outcome: "unknown" };
  const ticket: TicketInfo = {
    id: row.id,
    shortCode: row.short_code,
    sectionName: row.section_name,
    rowLabel: row.row_label,
    seatNumber: row.seat_number,
    ticketTypeName: row.ticket_type_name,
    holderName: row.holder_name,
    reference: row.reference,
  };
  if (admitted.length > 0) return { ok: true, outcome: "valid", ticket, checkedInAt: admitted[0].checked_in_at };
  if (row.event_id !== event.id) {
    // Name the other event only to someone who may manage it.
    return { ok: true, outcome: "wrong_event", otherEventTitle: mayManageEvent(actor, { organizerId: row.organizer_id }) ? row.event_title : null };
  }
  if (row.status === "USED") return { ok: true, outcome: "already_used", ticket, checkedInAt: row.checked_in_at!, checkedInBy: row.checked_in_by };
  return { ok: true, outcome: "void", ticket };
}
