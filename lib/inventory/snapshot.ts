import "server-only";
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { replicaRead } from "@/db/replicas";
import { encodeStates } from "@/lib/seatmap/bitmap";
import type { InventorySnapshot } from "@/lib/seatmap/types";
import { seatStateDigit } from "./places";
import { getSeatLayoutEncoded } from "./layout";
import { isUuid } from "@/lib/ids";
import { isoTs } from "@/lib/sql";

// What a seat map polls: per-section counts and every place's state, read in one query and
// encoded once. Each process keeps the encoded snapshot for about a second and shares one
// in-flight read between concurrent callers, so hundreds of polls per second cost one query
// per second. A hold expired by the database clock counts as available (see docs/invariants.md, I5).

// The shape lives with the seat map that reads it (lib/seatmap/types.ts), which client code imports.
export type { InventorySnapshot };

export type EncodedSnapshot = { snapshot: InventorySnapshot; body: string; etag: string };

export const SNAPSHOT_TTL_MS = 1000;
const MAX_CACHED = 1000;
const cache = new Map<string, { at: number; value: Promise<EncodedSnapshot | null> }>();

type Row = {
  status: string;
  published: boolean;
  ended: boolean;
  before_sale: boolean;
  now: string;
  sections: { id: string; name: string; kind: "ASSIGNED" | "GA"; capacity: number; priceMinor: number; color: string }[];
  states: string | null;
};

async function load(eventId: string): Promise<EncodedSnapshot | null> {
  const layout = await getSeatLayoutEncoded(eventId);
  if (!layout) return null;
  // Lag-tolerant (db/replicas.ts); a replica that has not seen a just-published event yet answers
  // "not found", which the primary is asked about again.
  const [row] = await replicaRead(
    "inventory.snapshot",
    (d) =>
      d.execute<Row>(sql`
    SELECT e.status, e.published_at IS NOT NULL AS published, now() >= e.ends_at AS ended, now() < e.sale_starts_at AS before_sale, ${isoTs(sql`now()`)} AS now,
      (SELECT json_agg(json_build_object('id', s.id, 'name', s.name, 'kind', s.kind, 'capacity', s.capacity,
          'priceMinor', s.price_minor, 'color', s.color)) FROM event_sections s WHERE s.event_id = e.id) AS sections,
      (SELECT string_agg(${seatStateDigit()}, '' ORDER BY i.seq)
        FROM inventory i WHERE i.event_id = e.id) AS states
    FROM events e WHERE e.id = ${eventId}`),
    { orPrimaryIf: ([r]) => !r || !r.published },
  );
  if (!row || !row.published) return null;
  const states = row.states ?? "";
  const meta = new Map(row.sections.map((s) => [s.id, s]));
  // seq ranges per section are fixed at creation (the cached layout knows them).
  const sections = layout.layout.sections.map((l) => {
    const s = meta.get(l.id)!;
    const slice = states.slice(l.firstSeq, l.firstSeq + l.count);
    let held = 0;
    let sold = 0;
    let blocked = 0;
    for (let i = 0; i < slice.length; i++) {
      const c = slice.charCodeAt(i);
      if (c === 49) held++;
      else if (c === 50) sold++;
      else if (c === 51) blocked++;
    }
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      capacity: s.capacity,
      priceMinor: s.priceMinor,
      color: s.color,
      available: slice.length - held - sold - blocked,
      held,
      sold,
      blocked,
    };
  });
  const seats = { encoding: "2bit-base64" as const, count: states.length, data: encodeStates(states) };
  const status = deriveStatus(
    row,
    sections.some((s) => s.available > 0),
  );
  const etag = `W/"${crypto.createHash("sha1").update(status).update(JSON.stringify(sections)).update(seats.data).digest("base64url").slice(0, 22)}"`;
  const snapshot: InventorySnapshot = { eventId, status, etag, generatedAt: row.now, sections, seats };
  return { snapshot, body: JSON.stringify(snapshot), etag };
}

// The same rule as ./event-status.ts statusCase(), applied to this very snapshot so the
// status never contradicts the counts, even between two cron ticks.
function deriveStatus(row: Row, anyAvailable: boolean) {
  if (row.status === "CANCELLED" || row.status === "COMPLETED") return row.status;
  if (row.ended) return "COMPLETED";
  if (row.before_sale) return "UPCOMING";
  return anyAvailable ? "ON_SALE" : "SOLD_OUT";
}

/** The encoded snapshot (body and ETag), for the REST route. */
export function getInventoryEncoded(eventId: string): Promise<EncodedSnapshot | null> {
  if (!isUuid(eventId)) return Promise.resolve(null);
  const now = Date.now(); // cache age only: no business decision rests on the app clock
  const hit = cache.get(eventId);
  if (hit && now - hit.at < SNAPSHOT_TTL_MS) return hit.value;
  const value = load(eventId).catch((err) => {
    cache.delete(eventId);
    throw err;
  });
  cache.delete(eventId);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(eventId, { at: now, value });
  return value;
}

export async function getInventorySnapshot(eventId: string): Promise<InventorySnapshot | null> {
  return (await getInventoryEncoded(eventId))?.snapshot ?? null;
}
