import { describe, expect, it } from "vitest";
import type { SectionLayout } from "@/db/schema";
import { areaAt, availableIn, stageAbove } from "@/lib/seatmap/areas";
import { buildSeatModel } from "@/lib/seatmap/model";
import { SEAT_HELD, SEAT_SOLD } from "@/lib/seatmap/types";
import { layoutOf } from "@/tests/helpers/seat-layouts";

// General-admission areas on the seat map (a standing pitch) and where the stage is drawn.

const stand = (offsetX: number, offsetY: number, rotation: number): SectionLayout => ({
  rows: 3,
  seatsPerRow: 10,
  aisles: [],
  curve: 0,
  offsetX,
  offsetY,
  rotation,
});

function ground() {
  const layout = layoutOf([
    { name: "North", layout: stand(0, -5, 180) },
    { name: "South", layout: stand(0, 8, 0) },
    { name: "Pitch", capacity: 30 },
  ]);
  layout.sections[2].area = { x: 0, y: 0, width: 9, height: 6 };
  return buildSeatModel(layout);
}

describe("general-admission areas", () => {
  it("are part of the map's bounds, so showing the whole venue shows the pitch", () => {
    const m = ground();
    expect(m.bounds).toEqual({ minX: 0, minY: -5, maxX: 9, maxY: 10 });
  });

  it("answer a click inside them with their section, and nothing outside", () => {
    const m = ground();
    expect(areaAt(m, 4.5, 3)).toBe(2);
    expect(areaAt(m, 0, 0)).toBe(2); // the edge counts
    expect(areaAt(m, 4.5, -4)).toBeNull(); // the north stand
    expect(areaAt(m, 20, 3)).toBeNull();
  });

  it("count what is still available from the live states", () => {
    const m = ground();
    const states = new Uint8Array(m.count);
    const first = m.layout.sections[2].firstSeq;
    states[first] = SEAT_SOLD;
    states[first + 1] = SEAT_HELD;
    states[0] = SEAT_SOLD; // a seat of another section does not count
    expect(availableIn(m, states, 2)).toBe(28);
  });
});

describe("the stage", () => {
  it("is drawn above a house whose sections all face up, curved or not", () => {
    const m = buildSeatModel(
      layoutOf([
        { name: "Stalls", layout: { rows: 8, seatsPerRow: 20, aisles: [10], curve: 0.4, offsetX: 0, offsetY: 0 } },
        { name: "Circle", layout: { rows: 4, seatsPerRow: 20, aisles: [], curve: 0.7, offsetX: 0, offsetY: 12 } },
      ]),
    );
    expect(stageAbove(m)).toBe(true);
  });

  it("is not drawn above stands that face each other across a pitch", () => {
    expect(stageAbove(ground())).toBe(false);
  });
});
