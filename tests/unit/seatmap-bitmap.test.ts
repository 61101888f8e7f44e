import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeStates, encodeStates } from "@/lib/seatmap/bitmap";
import { compactLayout, expandLayout } from "@/lib/seatmap/compact";
import { layoutOf, stadiumLayout } from "@/tests/helpers/seat-layouts";

describe("inventory bitmap", () => {
  it("decodes the contract's bit order: state of seq i = (bytes[i >> 2] >> ((i & 3) * 2)) & 3", () => {
    // seqs 0..4 = available, held, sold, available | sold
    const bytes = Uint8Array.from([0b00_10_01_00, 0b00_00_00_10]);
    const data = Buffer.from(bytes).toString("base64");
    expect(Array.from(decodeStates(data, 5))).toEqual([0, 1, 2, 0, 2]);
  });

  it("round-trips any state vector and agrees with Node's own base64", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3000 }), (states) => {
        const data = encodeStates(states);
        expect(Array.from(decodeStates(data, states.length))).toEqual(states);
        const bytes = Buffer.from(data, "base64");
        states.forEach((s, i) => expect((bytes[i >> 2] >> ((i & 3) * 2)) & 3).toBe(s));
      }),
      { numRuns: 200 },
    );
  });

  it("keeps the 20,000-seat stadium's bitmap under 7 KB of base64", () => {
    const states = Array.from({ length: 25_000 }, (_, i) => i % 3);
    expect(encodeStates(states).length).toBeLessThan(7 * 1024 * 1.2);
    expect(decodeStates(encodeStates(states), 25_000)[24_999]).toBe(24_999 % 3);
  });
});

describe("compact layout", () => {
  it("expands back to exactly the original layout (curved theatre rows, GA, aisles)", () => {
    const layout = layoutOf([
      { name: "Stalls", layout: { rows: 20, seatsPerRow: 30, rowLabels: "letters", numbering: "ltr", aisles: [8, 22], curve: 0.3, offsetX: 0, offsetY: 4 } },
      { name: "Circle", layout: { rows: 10, seatsPerRow: 30, rowLabels: "letters", numbering: "rtl", aisles: [15], curve: 0.5, offsetX: -3.5, offsetY: 27 } },
      { name: "Standing", capacity: 40 },
    ]);
    expect(expandLayout(JSON.parse(JSON.stringify(compactLayout(layout))))).toEqual(layout);
  });

  it("keeps non-numeric seat numbers and gaps in ids", () => {
    const layout = layoutOf([
      { name: "Box", layout: { rows: 2, seatsPerRow: 3, rowLabels: "letters", numbering: "ltr", aisles: [], curve: 0, offsetX: 0, offsetY: 0 } },
    ]);
    layout.numbers[2] = "3A";
    layout.ids[4] = 99_999;
    expect(expandLayout(compactLayout(layout))).toEqual(layout);
  });

  it("shrinks the 25,000-place stadium to a small fraction of per-seat JSON", () => {
    const layout = stadiumLayout();
    const full = JSON.stringify(layout).length;
    const compact = JSON.stringify(compactLayout(layout)).length;
    expect(expandLayout(compactLayout(layout))).toEqual(layout);
    expect(full).toBeGreaterThan(400_000);
    expect(compact).toBeLessThan(20_000);
  });
});
