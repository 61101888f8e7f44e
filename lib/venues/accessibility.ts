import type { SectionLayout } from "@/db/schema";
import { rowLabel } from "./layout";

// Wheelchair spaces and companion seats are part of the venue, like the seats' positions: the
// layout lists them as "ROW:SEAT" references, and creating an event copies them onto its places
// (inventory.access), where they stay fixed with the rest of the seat layout.
//
// People type them the way a box office writes seats: "A1, A2", "K:5-8", "12:3" (numbered
// rows need the colon), "B3-B6". Everything is stored in one canonical form, "ROW:SEAT".

export type SeatAccess = "WHEELCHAIR" | "COMPANION";

const ITEM = /^([A-Za-z]+|\d+)\s*:?\s*(\d+)(?:\s*-\s*(?:([A-Za-z]+|\d+)\s*:\s*|([A-Za-z]+))?(\d+))?$/;
const MAX_REFS = 2000;

/** "A1, K:5-8" → ["A:1", "K:5", "K:6", "K:7", "K:8"]; unreadable items come back in `errors`. */
export function parseSeatRefs(text: string): { refs: string[]; errors: string[] } {
  const refs: string[] = [];
  const errors: string[] = [];
  for (const raw of text.split(/[,;\n]+/)) {
    const item = raw.trim();
    if (!item) continue;
    const m = ITEM.exec(item);
    // Digits only with no colon ("12") cannot tell row from seat.
    if (!m || (/^\d/.test(item) && !item.includes(":"))) {
      errors.push(`"${item}" is not a seat: write it like A1, A:1 or A1-4`);
      continue;
    }
    const row = m[1].toUpperCase();
    const rangeRow = (m[3] ?? m[4])?.toUpperCase();
    if (rangeRow && rangeRow !== row) {
      errors.push(`"${item}" spans two rows: list each row on its own`);
      continue;
    }
    const from = Number(m[2]);
    const to = m[5] === undefined ? from : Number(m[5]);
    if (to < from || to - from > 500) {
      errors.push(`"${item}" is not a range of seats in one row`);
      continue;
    }
    for (let n = from; n <= to && refs.length <= MAX_REFS; n++) refs.push(`${row}:${n}`);
  }
  if (refs.length > MAX_REFS) errors.push(`List at most ${MAX_REFS} seats`);
  return { refs: [...new Set(refs)], errors };
}

/** Canonical refs as people read them back: "A1, A2, K5". */
export function formatSeatRefs(refs: readonly string[] | undefined): string {
  return (refs ?? []).map((r) => (/^[A-Z]+:/.test(r) ? r.replace(":", "") : r)).join(", ");
}

/** References that name no seat of this layout. */
export function unknownSeatRefs(layout: Pick<SectionLayout, "rows" | "seatsPerRow" | "rowLabels">, refs: readonly string[]): string[] {
  const rows = new Set(Array.from({ length: layout.rows }, (_, r) => rowLabel(r, layout.rowLabels)));
  return refs.filter((ref) => {
    const [row, seat] = ref.split(":");
    return !rows.has(row) || !(Number(seat) >= 1 && Number(seat) <= layout.seatsPerRow);
  });
}

/** The access flag of each generated seat of a layout (wheelchair wins when listed twice). */
export function seatAccessOf(layout: SectionLayout): (seat: { rowLabel: string; seatNumber: string }) => SeatAccess | null {
  const wheelchair = new Set(layout.wheelchair ?? []);
  const companion = new Set(layout.companion ?? []);
  if (wheelchair.size === 0 && companion.size === 0) return () => null;
  return (seat) => {
    const ref = `${seat.rowLabel}:${seat.seatNumber}`;
    return wheelchair.has(ref) ? "WHEELCHAIR" : companion.has(ref) ? "COMPANION" : null;
  };
}
