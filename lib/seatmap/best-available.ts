import { seatDistance, type SeatModel } from "./model";
import { SEAT_AVAILABLE } from "./types";

// "Best available": N adjacent free seats in one section, chosen the way a box office would:
// never leave a single seat stranded between the group and a taken seat, an aisle or the row's
// end when any other choice exists; then the front-most row; then the most central block.

/** Seats closer than this (in seat units) sit side by side; an aisle leaves a gap of 2. */
const ADJACENT = 1.5;

export type BestAvailableResult = { seqs: number[]; orphans: number } | null;

export function bestAvailable(
  model: SeatModel,
  states: ArrayLike<number>,
  sectionIndex: number,
  n: number,
  isFree: (seq: number) => boolean = (seq) => states[seq] === SEAT_AVAILABLE,
): BestAvailableResult {
  if (n < 1) return null;
  const rows = model.sectionRows[sectionIndex] ?? [];
  let best: { seqs: number[]; score: number; orphans: number } | null = null;
  for (const [rank, ri] of rows.entries()) {
    const seqs = model.rows[ri].seqs;
    if (seqs.length < n) continue;
    // Distances along the row, so curved rows and stands turned beside a pitch score alike.
    const at = [0];
    for (let k = 1; k < seqs.length; k++) at.push(at[k - 1] + seatDistance(model, seqs[k - 1], seqs[k]));
    const centre = at[seqs.length - 1] / 2;
    const width = Math.max(1, at[seqs.length - 1]);
    let i = 0;
    while (i < seqs.length) {
      if (!isFree(seqs[i])) {
        i++;
        continue;
      }
      // A run of free seats with no gap: seqs[i..j].
      let j = i;
      while (j + 1 < seqs.length && isFree(seqs[j + 1]) && at[j + 1] - at[j] <= ADJACENT) j++;
      for (let s = i; s + n - 1 <= j; s++) {
        const left = s - i;
        const right = j - (s + n - 1);
        const orphans = (left === 1 ? 1 : 0) + (right === 1 ? 1 : 0);
        const mid = (at[s] + at[s + n - 1]) / 2;
        const score = orphans * 1e6 + rank * 10 + Math.abs(mid - centre) / width;
        if (!best || score < best.score) best = { seqs: seqs.slice(s, s + n), score, orphans };
      }
      i = j + 1;
    }
  }
  return best ? { seqs: best.seqs, orphans: best.orphans } : null;
}
