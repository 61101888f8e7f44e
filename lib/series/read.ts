import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { isoTs } from "@/lib/sql";

// The dates of a series, for the event page ("more dates") and the organizer's dates page.

export type SeriesDate = { id: string; startsAt: string; status: string; published: boolean };

/** The series' dates in time order. `publishedOnly` for customers; past dates left out unless asked. */
export async function listSeriesDates(seriesId: string | null, opts: { publishedOnly: boolean; includePast?: boolean }): Promise<SeriesDate[]> {
  if (!seriesId) return [];
  const rows = await db().execute<SeriesDate>(sql`
    SELECT e.id, ${isoTs(sql`e.starts_at`)} AS "startsAt", e.status, e.published_at IS NOT NULL AS published
    FROM events e
    WHERE e.series_id = ${seriesId}
      ${opts.publishedOnly ? sql`AND e.published_at IS NOT NULL` : sql``}
      ${opts.includePast ? sql`` : sql`AND e.ends_at > now()`}
    ORDER BY e.starts_at, e.id
    LIMIT 200`);
  return [...rows];
}
