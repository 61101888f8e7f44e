import "server-only";
import crypto from "node:crypto";
import { decodeStates, encodeStates } from "@/lib/seatmap/bitmap";
import type { InventorySnapshot, SeatLayout } from "@/lib/seatmap/types";
import { visibleHiddenSections, type Viewer } from "@/lib/promo-codes/hidden";

// What one viewer may see of an event's seat layout and live inventory (docs/promo-codes.md,
// "Hidden sections"). Both are cached per event with every section in them (in process, and the
// snapshot in Redis too); the view of a viewer who may not see a hidden section is cut from the
// cached copy after the cache: the section and its places go, the remaining places are numbered
// on (positions in the arrays and the bitmap follow the view, not the database's seq), counts and
// status are the visible sections' own. An event without hidden sections is served the cached
// copy itself: its visitors pay nothing. Hidden flags are fixed once an event is published
// (lib/events/update.ts), so a cached layout knows them.

type Encoded = { body: string; etag: string };
type Cut = { hide: Set<string>; key: string };

/** The hidden sections of the layout this viewer may not see; null when nothing is to be cut (no query then). */
export async function sectionsToCut(eventId: string, layout: SeatLayout, viewer: () => Promise<Viewer>): Promise<Cut | null> {
  const hidden = layout.sections.filter((s) => s.hidden).map((s) => s.id);
  if (hidden.length === 0) return null;
  const seen = await visibleHiddenSections(eventId, await viewer());
  const hide = hidden.filter((id) => !seen.has(id)).sort();
  return hide.length ? { hide: new Set(hide), key: hide.join(",") } : null;
}

/** Whether the event's views differ by viewer (then responses are private to the caller). */
export const hasHiddenSections = (layout: SeatLayout) => layout.sections.some((s) => s.hidden);

// Views of one cached copy, by what they cut: built once per copy (a snapshot lives a second).
const views = new WeakMap<object, Map<string, unknown>>();
function memo<T>(of: object, key: string, build: () => T): T {
  let m = views.get(of);
  if (!m) views.set(of, (m = new Map()));
  if (!m.has(key)) m.set(key, build());
  return m.get(key) as T;
}

const tag = (etag: string, key: string) => {
  const weak = etag.startsWith("W/");
  const bare = etag.replace(/^W\//, "").replace(/"/g, "");
  const h = crypto.createHash("sha1").update(key).digest("base64url").slice(0, 8);
  return `${weak ? "W/" : ""}"${bare}.${h}"`;
};

/** Positions (old seq) kept by the cut, in order. */
function keptSeqs(layout: SeatLayout, cut: Cut): number[] {
  const kept: number[] = [];
  for (const s of layout.sections) if (!cut.hide.has(s.id)) for (let i = 0; i < s.count; i++) kept.push(s.firstSeq + i);
  return kept;
}

export function layoutView<T extends Encoded & { layout: SeatLayout }>(cached: T, cut: Cut | null): T {
  if (!cut) return cached;
  return memo(cached, cut.key, () => {
    const l = cached.layout;
    const kept = keptSeqs(l, cut);
    let next = 0;
    const sections = l.sections
      .filter((s) => !cut.hide.has(s.id))
      .map((s) => {
        const firstSeq = next;
        next += s.count;
        return { ...s, firstSeq };
      });
    const pick = <V>(a: V[]) => kept.map((i) => a[i]);
    const layout: SeatLayout = { sections, ids: pick(l.ids), x: pick(l.x), y: pick(l.y), rows: pick(l.rows), numbers: pick(l.numbers), access: pick(l.access) };
    return { ...cached, layout, body: JSON.stringify(layout), etag: tag(cached.etag, cut.key) };
  });
}

export function snapshotView<T extends Encoded & { snapshot: InventorySnapshot }>(encoded: T, layout: SeatLayout, cut: Cut | null): T {
  if (!cut) return encoded;
  return memo(encoded, cut.key, () => {
    const snap = encoded.snapshot;
    const states = decodeStates(snap.seats.data, snap.seats.count);
    const kept = keptSeqs(layout, cut);
    const cutStates = Uint8Array.from(kept, (i) => states[i] ?? 0);
    const sections = snap.sections.filter((s) => !cut.hide.has(s.id));
    // The status counts visible places only: sold out for this viewer when only hidden ones are left.
    const status = snap.status === "ON_SALE" && !sections.some((s) => s.available > 0) ? "SOLD_OUT" : snap.status;
    const etag = tag(snap.etag, cut.key);
    const snapshot: InventorySnapshot = {
      ...snap,
      status,
      etag,
      sections,
      seats: { encoding: "2bit-base64", count: cutStates.length, data: encodeStates(cutStates) },
    };
    return { ...encoded, snapshot, body: JSON.stringify(snapshot), etag };
  });
}
