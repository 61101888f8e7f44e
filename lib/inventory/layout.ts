import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { replicaRead } from "@/db/replicas";
import { knownAbsent, rememberAbsent } from "@/lib/absent-ids";
import { canonicalUuid, isUuid } from "@/lib/ids";
import type { SeatLayout } from "@/lib/seatmap/types";

// The seat layout (positions, labels, section ranges) never changes after an event is created,
// so each process reads it once per event and keeps it. Arrays are indexed by seq, the same
// index as the inventory bitmap. Unpublished or missing events are not cached.

// The shape lives with the seat map that draws it (lib/seatmap/types.ts), which client code imports.
export type { SeatLayout };

type Cached = { layout: SeatLayout; body: string; etag: string };

const MAX_CACHED = 200;
const cache = new Map<string, Promise<Cached | null>>();

type Row = {
  published: boolean;
  sections: (Omit<SeatLayout["sections"][number], "hidden"> & { hidden: boolean })[] | null;
  seats: Omit<SeatLayout, "sections"> | null;
};

function selectLayout(eventId: string) {
  return sql`
    SELECT e.published_at IS NOT NULL AS published,
      (SELECT json_agg(json_build_object('id', s.id, 'name', s.name, 'kind', s.kind, 'color', s.color,
          'priceMinor', s.price_minor, 'capacity', s.capacity, 'firstSeq', r.first_seq, 'count', r.n, 'area', s.map_area, 'hidden', s.hidden) ORDER BY r.first_seq)
        FROM event_sections s
        JOIN LATERAL (SELECT min(i.seq) AS first_seq, count(*)::int AS n FROM inventory i
                      WHERE i.event_id = e.id AND i.section_id = s.id) r ON true
        WHERE s.event_id = e.id) AS sections,
      (SELECT json_build_object('ids', json_agg(i.id ORDER BY i.seq), 'x', json_agg(i.x ORDER BY i.seq), 'y', json_agg(i.y ORDER BY i.seq),
          'rows', json_agg(i.row_label ORDER BY i.seq), 'numbers', json_agg(i.seat_number ORDER BY i.seq), 'access', json_agg(CASE i.access WHEN 'WHEELCHAIR' THEN 1 WHEN 'COMPANION' THEN 2 ELSE 0 END ORDER BY i.seq))
        FROM inventory i WHERE i.event_id = e.id) AS seats
    FROM events e WHERE e.id = ${eventId}`;
}

// `hidden` only where true: the layout of an event without hidden sections reads as it always did.
const sectionsOf = (list: NonNullable<Row["sections"]>): SeatLayout["sections"] =>
  list.map(({ hidden, ...s }) => (hidden ? { ...s, hidden: true as const } : s));

/** The layout straight from the primary, published or not (no cache): staff screens of drafts. Null: no such event. */
export async function readSeatLayout(eventId: string): Promise<{ published: boolean; layout: SeatLayout | null } | null> {
  if (!isUuid(eventId)) return null;
  const [row] = await db().execute<Row>(selectLayout(eventId));
  if (!row) return null;
  return { published: row.published, layout: row.sections && row.seats ? { sections: sectionsOf(row.sections), ...row.seats } : null };
}

async function load(eventId: string): Promise<Cached | null> {
  // Lag-tolerant (db/replicas.ts); a replica that has not seen a just-published event yet answers
  // "not found", which the primary is asked about again.
  const [row] = await replicaRead("inventory.layout", (d) => d.execute<Row>(selectLayout(eventId)), { orPrimaryIf: ([r]) => !r || !r.published });
  if (!row) rememberAbsent("event", eventId); // the primary's answer (lib/absent-ids.ts)
  if (!row || !row.published || !row.sections || !row.seats) return null;
  const layout: SeatLayout = { sections: sectionsOf(row.sections), ...row.seats };
  const body = JSON.stringify(layout);
  return { layout, body, etag: `"layout-${eventId}"` };
}

/** The layout with its encoded JSON, for the REST route. */
export function getSeatLayoutEncoded(rawEventId: string): Promise<Cached | null> {
  const eventId = canonicalUuid(rawEventId); // one cache entry (and ETag) per event, whatever the spelling
  if (!eventId || knownAbsent("event", eventId)) return Promise.resolve(null);
  let hit = cache.get(eventId);
  if (!hit) {
    hit = load(eventId).then(
      (v) => {
        if (!v) cache.delete(eventId);
        return v;
      },
      (err) => {
        cache.delete(eventId);
        throw err;
      },
    );
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(eventId, hit);
  }
  return hit;
}

export async function getSeatLayout(eventId: string): Promise<SeatLayout | null> {
  return (await getSeatLayoutEncoded(eventId))?.layout ?? null;
}
