import "server-only";
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { replicaRead } from "@/db/replicas";
import { encodeStates } from "@/lib/seatmap/bitmap";
import type { InventorySnapshot } from "@/lib/seatmap/types";
import { seatStateDigit } from "./places";
import { getSeatLayoutEncoded } from "./layout";
import { claimSnapshot, publishSnapshot, type Shared } from "./shared";
import { canonicalUuid } from "@/lib/ids";
import { isoTs } from "@/lib/sql";
import { UNAVAILABLE } from "@/lib/redis";

// What a seat map polls: per-section counts and every place's state, read in one query and
// encoded once. One copy per event is shared by every app instance through Redis and rebuilt
// by one of them once a second (./shared.ts); each process also keeps the copy it has until it
// is a second old and shares one in-flight read between concurrent callers, so thousands of
// polls per second on any number of instances cost one query per second. Without Redis each
// process builds its own. A hold expired by the database clock counts as available (see
// docs/invariants.md, I5).

// The shape lives with the seat map that reads it (lib/seatmap/types.ts), which client code imports.
export type { InventorySnapshot };

export type EncodedSnapshot = { snapshot: InventorySnapshot; body: string; etag: string };

export const SNAPSHOT_TTL_MS = 1000;
const MAX_CACHED = 1000;
const cache = new Map<string, { until: number; value: Promise<EncodedSnapshot | null> }>();

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
export function getInventoryEncoded(rawEventId: string): Promise<EncodedSnapshot | null> {
  const eventId = canonicalUuid(rawEventId); // one cache entry per event, whatever the spelling
  if (!eventId) return Promise.resolve(null);
  const now = Date.now(); // this process's cache only: ages of shared copies come from Redis's clock
  const hit = cache.get(eventId);
  if (hit && now < hit.until) return hit.value;
  const entry = { until: now + SNAPSHOT_TTL_MS, value: Promise.resolve<EncodedSnapshot | null>(null) };
  entry.value = fetchSnapshot(eventId, (ageMs) => (entry.until = Date.now() + SNAPSHOT_TTL_MS - ageMs)).catch((err) => {
    cache.delete(eventId);
    throw err;
  });
  cache.delete(eventId);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(eventId, entry);
  return entry.value;
}

const BUSY_RETRIES = 10;
const BUSY_WAIT_MS = 50;

/** The shared copy when it is fresh (or being rebuilt by someone else); otherwise built here and shared. */
async function fetchSnapshot(eventId: string, keepFor: (ageMs: number) => void): Promise<EncodedSnapshot | null> {
  const token = crypto.randomUUID();
  for (let attempt = 0; ; attempt++) {
    const claim = await claimSnapshot(eventId, SNAPSHOT_TTL_MS, token);
    if (claim === UNAVAILABLE) return load(eventId); // PostgreSQL alone
    if (claim.state !== "build" && claim.copy) {
      keepFor(claim.copy.ageMs); // a stale copy while someone else rebuilds: served until the next poll
      return decode(eventId, claim.copy);
    }
    if (claim.state === "build" || attempt >= BUSY_RETRIES) {
      const began = Date.now();
      const built = await load(eventId);
      // Aged from when it is ready, not from when the read began: under load a read can take a
      // good part of the interval, and the copy would be stale as soon as it is shared.
      keepFor(0);
      await publishSnapshot(eventId, built ? { body: built.body, etag: built.etag } : { body: "", etag: "" }, Date.now() - began, token);
      return built;
    }
    await new Promise((r) => setTimeout(r, BUSY_WAIT_MS)); // the first copy is being built elsewhere
  }
}

function decode(eventId: string, copy: Shared): EncodedSnapshot | null {
  if (!copy.body) return null; // no such published event (as of that snapshot)
  const snapshot = JSON.parse(copy.body) as InventorySnapshot;
  if (snapshot.eventId !== eventId) return null;
  return { snapshot, body: copy.body, etag: copy.etag };
}

export async function getInventorySnapshot(eventId: string): Promise<InventorySnapshot | null> {
  return (await getInventoryEncoded(eventId))?.snapshot ?? null;
}
