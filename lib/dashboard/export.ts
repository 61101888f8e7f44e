import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { formatReference } from "@/lib/bookings/reference";
import { findManagedEvent } from "@/lib/auth/event-access";
import { majorUnits } from "@/lib/money";
import { formatShortCode } from "@/lib/tickets/short-code";

// CSV exports of an event's attendees (live tickets) and bookings. RFC 4180: every cell quoted,
// quotes doubled, CRLF line ends, a UTF-8 BOM so spreadsheet programs read names correctly.
// Customers choose their own names, so a cell starting with = + - @ (or tab / CR) could run as
// a formula when the file is opened: such cells get a leading apostrophe (OWASP CSV injection).

export const EXPORT_KINDS = ["attendees", "bookings"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return "\uFEFF" + [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

const iso = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`);

export async function exportEventCsv(actor: Actor, eventId: string, kind: ExportKind): Promise<{ filename: string; body: string } | null> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return null;
  const currency = event.currency.trim();
  const slug =
    event.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "event";
  if (kind === "attendees") {
    const rows = await db().execute<Record<string, string | number | null>>(sql`
      SELECT b.reference, t.short_code, t.id AS ticket_id, u.name, u.email, s.name AS section, i.row_label, i.seat_number,
        ty.name AS ticket_type, t.price_minor, t.status, ${iso("t.checked_in_at")} AS checked_in_at
      FROM tickets t
      LEFT JOIN ticket_types ty ON ty.id = t.ticket_type_id
      JOIN bookings b ON b.id = t.booking_id
      JOIN users u ON u.id = b.user_id
      JOIN event_sections s ON s.id = t.section_id
      JOIN inventory i ON i.id = t.inventory_id
      WHERE t.event_id = ${event.id} AND t.status <> 'VOID'
      ORDER BY s.sort_order, i.seq`);
    const body = toCsv(
      [
        "booking_reference",
        "ticket_code",
        "ticket_id",
        "name",
        "email",
        "section",
        "row",
        "seat",
        "ticket_type",
        "price",
        "currency",
        "status",
        "checked_in_at",
      ],
      rows.map((r) => [
        formatReference(String(r.reference)),
        formatShortCode(String(r.short_code)),
        r.ticket_id,
        r.name,
        r.email,
        r.section,
        r.row_label,
        r.seat_number,
        r.ticket_type, // empty: the section's own price (no ticket types)
        majorUnits(Number(r.price_minor), currency),
        currency,
        r.status,
        r.checked_in_at,
      ]),
    );
    return { filename: `${slug}-attendees.csv`, body };
  }
  const rows = await db().execute<Record<string, string | number | null>>(sql`
    SELECT b.reference, u.name, u.email, b.status, (SELECT count(*)::int FROM tickets t WHERE t.booking_id = b.id) AS tickets,
      (SELECT string_agg(x.name || ' x' || x.n, '; ' ORDER BY x.sort_order, x.name) FROM (
        SELECT ty.name, ty.sort_order, count(*) AS n FROM tickets t JOIN ticket_types ty ON ty.id = t.ticket_type_id
        WHERE t.booking_id = b.id GROUP BY ty.id) x) AS ticket_types,
      b.amount_minor, ${iso("b.created_at")} AS created_at, ${iso("b.cancelled_at")} AS cancelled_at,
      b.payment_method, staff.email AS sold_by
    FROM bookings b JOIN users u ON u.id = b.user_id LEFT JOIN users staff ON staff.id = b.sold_by
    WHERE b.event_id = ${event.id}
    ORDER BY b.created_at, b.id`);
  const body = toCsv(
    [
      "booking_reference",
      "name",
      "email",
      "status",
      "tickets",
      "ticket_types",
      "amount",
      "currency",
      "created_at",
      "cancelled_at",
      "channel",
      "payment_method",
      "sold_by",
    ],
    rows.map((r) => [
      formatReference(String(r.reference)),
      r.name,
      r.email,
      r.status,
      r.tickets,
      r.ticket_types, // e.g. "Adult x2; Child x1"; empty without ticket types
      majorUnits(Number(r.amount_minor), currency),
      currency,
      r.created_at,
      r.cancelled_at,
      // Box-office orders carry how they were paid and who sold them; comps have amount 0.
      r.payment_method ? "box_office" : "web",
      r.payment_method ?? "online",
      r.sold_by,
    ]),
  );
  return { filename: `${slug}-bookings.csv`, body };
}
