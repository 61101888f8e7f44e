import { describe, expect, it } from "vitest";
import { isNavKey, moveFocus, NAV_KEYS } from "@/lib/seatmap/keyboard";
import { buildSeatModel, seatAt, seatLabel, seqByIdMap } from "@/lib/seatmap/model";
import { layoutOf, stadiumLayout } from "@/tests/helpers/seat-layouts";

const theatre = () =>
  buildSeatModel(
    layoutOf([
      { name: "Stalls", layout: { rows: 20, seatsPerRow: 30, rowLabels: "letters", numbering: "ltr", aisles: [8, 22], curve: 0.3, offsetX: 0, offsetY: 4 } },
      {
        name: "Dress Circle",
        layout: { rows: 10, seatsPerRow: 30, rowLabels: "letters", numbering: "ltr", aisles: [15], curve: 0.5, offsetX: 0, offsetY: 27 },
      },
      { name: "Standing", capacity: 50 },
    ]),
  );

describe("seat map model", () => {
  it("groups seats into rows sorted left to right and leaves GA places out of the map", () => {
    const m = theatre();
    expect(m.rows).toHaveLength(30);
    expect(m.sectionRows[2]).toEqual([]);
    expect(m.rowOf[m.count - 1]).toBe(-1);
    expect(m.rows[0].seqs.map((s) => m.layout.numbers[s])).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    expect(seatLabel(m, m.rows[1].seqs[4])).toBe("Stalls, row B, seat 5");
  });

  it("hit-tests every seat at its own centre and nothing far from the seats", () => {
    const m = buildSeatModel(stadiumLayout());
    for (let seq = 0; seq < 20_000; seq += 37) expect(seatAt(m, m.xs[seq] + 0.2, m.ys[seq] - 0.2)).toBe(seq);
    expect(seatAt(m, -50, -50)).toBeNull();
    expect(seatAt(m, 50, 10)).toBeNull(); // the aisle after seat 50 is empty (column 50)
  });

  it("maps API seat ids to seqs", () => {
    const m = theatre();
    const bySeq = seqByIdMap(m.layout);
    expect(bySeq.get(m.layout.ids[123])).toBe(123);
  });
});

describe("keyboard navigation", () => {
  it("starts at the first seat, walks a row and stops at its ends", () => {
    const m = theatre();
    const a1 = moveFocus(m, null, "ArrowRight")!;
    expect(seatLabel(m, a1)).toBe("Stalls, row A, seat 1");
    expect(seatLabel(m, moveFocus(m, a1, "ArrowRight")!)).toBe("Stalls, row A, seat 2");
    expect(moveFocus(m, a1, "ArrowLeft")).toBe(a1);
    expect(seatLabel(m, moveFocus(m, a1, "End")!)).toBe("Stalls, row A, seat 30");
    expect(seatLabel(m, moveFocus(m, m.rows[0].seqs[9], "Home")!)).toBe("Stalls, row A, seat 1");
  });

  it("crosses an aisle with one key press", () => {
    const m = theatre();
    const a8 = m.rows[0].seqs[7];
    expect(seatLabel(m, moveFocus(m, a8, "ArrowRight")!)).toBe("Stalls, row A, seat 9");
  });

  it("moves between rows at the nearest position, and from the last row into the next section", () => {
    const m = theatre();
    const a10 = m.rows[0].seqs[9];
    expect(seatLabel(m, moveFocus(m, a10, "ArrowDown")!)).toBe("Stalls, row B, seat 10");
    expect(moveFocus(m, a10, "ArrowUp")).toBe(a10);
    const t10 = m.rows[19].seqs[9];
    expect(seatLabel(m, moveFocus(m, t10, "ArrowDown")!)).toMatch(/^Dress Circle, row A, seat (9|10|11)$/);
    expect(seatLabel(m, moveFocus(m, t10, "PageDown")!)).toMatch(/^Dress Circle, row A, /);
    expect(seatLabel(m, moveFocus(m, m.rows[20].seqs[3], "PageUp")!)).toMatch(/^Stalls, row A, /);
  });

  it("reaches every seat of the theatre from the first seat", () => {
    const m = theatre();
    const seen = new Set<number>();
    const queue = [moveFocus(m, null, "ArrowDown")!];
    while (queue.length) {
      const seq = queue.pop()!;
      if (seen.has(seq)) continue;
      seen.add(seq);
      for (const key of NAV_KEYS) queue.push(moveFocus(m, seq, key)!);
    }
    expect(seen.size).toBe(900);
  });

  it("goes from one stadium stand to the next with ArrowDown", () => {
    const m = buildSeatModel(stadiumLayout());
    const lastRowNorth = m.rows[m.sectionRows[0].at(-1)!];
    const seat = lastRowNorth.seqs[60];
    expect(seatLabel(m, moveFocus(m, seat, "ArrowDown")!)).toBe("East, row 1, seat 61");
    expect(isNavKey("ArrowDown")).toBe(true);
    expect(isNavKey("a")).toBe(false);
  });
});
