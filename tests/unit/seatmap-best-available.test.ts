import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bestAvailable } from "@/lib/seatmap/best-available";
import { buildSeatModel, type SeatModel } from "@/lib/seatmap/model";
import { layoutOf, stadiumLayout } from "@/tests/helpers/seat-layouts";

const straight = (rows: number, seatsPerRow: number, aisles: number[] = []) =>
  buildSeatModel(layoutOf([{ name: "Hall", layout: { rows, seatsPerRow, rowLabels: "letters", numbering: "ltr", aisles, curve: 0, offsetX: 0, offsetY: 0 } }]));

/** States from a picture: one string per row, "." free, "x" taken. */
function states(model: SeatModel, picture: string[]): number[] {
  const out = new Array<number>(model.count).fill(0);
  picture.forEach((line, r) => [...line].forEach((c, i) => (out[model.rows[r].seqs[i]] = c === "x" ? 1 : 0)));
  return out;
}
const labels = (model: SeatModel, seqs: number[]) => seqs.map((s) => `${model.layout.rows[s]}${model.layout.numbers[s]}`);

describe("best available", () => {
  it("picks the most central block of the front row in an empty hall", () => {
    const m = straight(3, 10);
    expect(labels(m, bestAvailable(m, states(m, []), 0, 2)!.seqs)).toEqual(["A5", "A6"]);
    expect(labels(m, bestAvailable(m, states(m, []), 0, 4)!.seqs)).toEqual(["A4", "A5", "A6", "A7"]);
  });

  it("never strands a single seat when another choice exists, even in a later row", () => {
    const m = straight(2, 6);
    // Row A has 3 free seats (A1-A3): taking 2 leaves one alone. Row B is free.
    const s = states(m, ["...xxx", "......"]);
    const r = bestAvailable(m, s, 0, 2)!;
    expect(r.orphans).toBe(0);
    expect(labels(m, r.seqs)).toEqual(["B3", "B4"]);
  });

  it("fills a gap exactly rather than leaving an orphan", () => {
    const m = straight(1, 10);
    const s = states(m, ["xx...x...."]);
    // A3-A5 is a gap of 3: take it whole (no orphan) rather than a block of the free 4 at the end
    // that would leave 1 or 2 alone.
    const r = bestAvailable(m, s, 0, 3)!;
    expect(r.orphans).toBe(0);
    expect(labels(m, r.seqs)).toEqual(["A3", "A4", "A5"]);
  });

  it("accepts an orphan only when nothing else fits", () => {
    const m = straight(1, 4);
    const r = bestAvailable(m, states(m, ["...x"]), 0, 2)!;
    expect(r.orphans).toBe(1);
    expect(r.seqs).toHaveLength(2);
  });

  it("does not call seats across an aisle adjacent, and answers null when no block fits", () => {
    const m = straight(1, 6, [3]); // A1-A3 | aisle | A4-A6
    expect(bestAvailable(m, states(m, ["......"]), 0, 4)).toBeNull();
    expect(bestAvailable(m, states(m, ["......"]), 0, 3)!.seqs).toHaveLength(3);
    expect(bestAvailable(m, states(m, ["xxxxxx"]), 0, 1)).toBeNull();
  });

  it("respects a caller's notion of free (e.g. seats already in the basket)", () => {
    const m = straight(1, 4);
    const r = bestAvailable(m, states(m, []), 0, 2, (seq) => seq !== m.rows[0].seqs[1] && seq !== m.rows[0].seqs[2]);
    expect(r).toBeNull();
  });

  it("always returns free, adjacent seats of one row, and an orphan only when no orphan-free block exists", () => {
    const m = straight(3, 8, [4]);
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: m.count, maxLength: m.count }), fc.integer({ min: 1, max: 5 }), (taken, n) => {
        const s = taken.map((t) => (t ? 1 : 0));
        const r = bestAvailable(m, s, 0, n);
        const blocks = allBlocks(m, s, n);
        if (!r) {
          expect(blocks).toHaveLength(0);
          return;
        }
        expect(r.seqs).toHaveLength(n);
        const row = m.rowOf[r.seqs[0]];
        for (const [k, seq] of r.seqs.entries()) {
          expect(s[seq]).toBe(0);
          expect(m.rowOf[seq]).toBe(row);
          if (k > 0) expect(m.xs[seq] - m.xs[r.seqs[k - 1]]).toBe(1);
        }
        expect(r.orphans).toBe(Math.min(...blocks.map((b) => b.orphans)));
      }),
      { numRuns: 300 },
    );
  });

  it("answers within a few milliseconds for a 5,000-seat stand of the stadium", () => {
    const m = buildSeatModel(stadiumLayout());
    const s = Array.from({ length: m.count }, (_, i) => ((i * 7919) % 5 === 0 ? 1 : 0));
    const t0 = performance.now();
    for (let k = 0; k < 10; k++) bestAvailable(m, s, 1, 4);
    expect((performance.now() - t0) / 10).toBeLessThan(20);
  });
});

/** Brute force: every block of n free seats in a row without gaps, with its orphan count. */
function allBlocks(m: SeatModel, s: number[], n: number) {
  const out: { orphans: number }[] = [];
  for (const row of m.rows) {
    const free = (k: number) => k >= 0 && k < row.seqs.length && s[row.seqs[k]] === 0;
    const linked = (a: number, b: number) => m.xs[row.seqs[b]] - m.xs[row.seqs[a]] === 1;
    for (let st = 0; st + n <= row.seqs.length; st++) {
      let ok = true;
      for (let k = st; k < st + n; k++) if (!free(k) || (k > st && !linked(k - 1, k))) ok = false;
      if (!ok) continue;
      // Free neighbours on each side, counted until a taken seat, an aisle or the row's end.
      let left = 0;
      for (let k = st - 1; free(k) && linked(k, k + 1); k--) left++;
      let right = 0;
      for (let k = st + n; free(k) && linked(k - 1, k); k++) right++;
      out.push({ orphans: (left === 1 ? 1 : 0) + (right === 1 ? 1 : 0) });
    }
  }
  return out;
}
