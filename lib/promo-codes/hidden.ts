import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { db } from "@/db";

// Hidden sections (docs/promo-codes.md, "Hidden sections"): a section the organizer marks hidden
// is offered only to customers holding an open grant of an access code of its event that names
// it (the code's sectionIds), and to those who manage the event (its organizer, admins). For
// everyone else it does not exist. One rule, written once here, read by every path that offers
// places: the holds (both the one-statement hold and the step-by-step path), the waiting list's
// offers, and the public reads (lib/inventory/visible.ts).

/** SQL: an open grant `g` of the code `pc` (active ACCESS code inside its validity, by the database clock). */
export const openAccessCode = sql`pc.active AND pc.kind = 'ACCESS'
  AND (pc.valid_from IS NULL OR now() >= pc.valid_from) AND (pc.valid_until IS NULL OR now() < pc.valid_until)`;

/**
 * SQL: the section row `alias` (an event_sections alias) is offered to the user. For a section
 * that is not hidden it reads nothing more; for a hidden one it looks for a grant naming it, or
 * the user's current role over the event.
 */
export function sectionOffered(alias: string, userId: SQL): SQL {
  const s = sql.raw(alias);
  return sql`(NOT ${s}.hidden OR EXISTS (
      SELECT 1 FROM access_grants g JOIN promo_codes pc ON pc.id = g.code_id
      WHERE g.event_id = ${s}.event_id AND g.user_id = ${userId} AND ${s}.id = ANY(pc.section_ids) AND ${openAccessCode})
    OR EXISTS (
      SELECT 1 FROM users u JOIN events e ON e.id = ${s}.event_id
      WHERE u.id = ${userId} AND (u.role = 'ADMIN' OR (u.role = 'ORGANIZER' AND e.organizer_id = u.id))))`;
}

/** Who asks: a user already checked (pages), or a token's or cookie's claims, checked here against the session version. */
export type Viewer = { userId: string; sessionVersion?: number } | null;

/** The hidden sections of the event this viewer may see (none for an anonymous visitor). One query. */
export async function visibleHiddenSections(eventId: string, viewer: Viewer): Promise<Set<string>> {
  if (!viewer) return new Set();
  const uid = sql`${viewer.userId}::uuid`;
  // Claims name a user only at their session version (signed out everywhere: nobody), as loadActor would.
  const current =
    viewer.sessionVersion === undefined
      ? sql``
      : sql`AND EXISTS (SELECT 1 FROM users cu WHERE cu.id = ${uid} AND cu.session_version = ${viewer.sessionVersion}::int)`;
  const [row] = await db().execute<{ ids: string[] }>(sql`
    SELECT coalesce(array_agg(s.id::text), '{}') AS ids FROM event_sections s
    WHERE s.event_id = ${eventId}::uuid AND s.hidden AND ${sectionOffered("s", uid)} ${current}`);
  return new Set(row?.ids ?? []);
}
