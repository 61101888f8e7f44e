import { describe, expect, it } from "vitest";
import type { SectionLayout } from "@/db/schema";
import { bestAvailable } from "@/lib/seatmap/best-available";
import { moveFocus } from "@/lib/seatmap/keyboard";
import { buildSeatModel } from "@/lib/seatmap/model";
import { generateSeats, type GeneratedSeat } from "@/lib/venues/layout";
import { layoutOf } from "@/tests/helpers/seat-layouts";

// The layout generator: curved rows wrap around the stage (which is above an unturned section),
// and a turned section keeps its shape, facing the stage on the side it names.

const section = (over: Partial<SectionLayout> = {}): SectionLayout => ({ rows: 6, seatsPerRow: 21, aisles: [], curve: 0, offsetX: 0, offsetY: 0, ...over });
function rowsOf(seats: GeneratedSeat[]): Map<string, GeneratedSeat[]> {
  const rows = new Map<string, GeneratedSeat[]>();
  for (const seat of seats) rows.set(seat.rowLabel, [...(rows.get(seat.rowLabel) ?? []), seat]);
  return rows;
}
const dist = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

describe("curved rows", () => {
  it("bring every row's ends forward, towards the stage, not away from it", () => {
    for (const curve of [0.1, 0.3, 0.6, 1]) {
      for (const row of rowsOf(generateSeats(section({ curve }))).values()) {
        const middle = row[10];
        expect(row[0].y, `curve ${curve}, row ${row[0].rowLabel}`).toBeLessThan(middle.y - 0.05);
        expect(row[20].y).toBeLessThan(middle.y - 0.05);
        // The ends come forward progressively: each seat from the middle out is nearer the stage.
        for (let k = 1; k < 10; k++) expect(row[k].y).toBeLessThanOrEqual(row[k + 1].y);
      }
    }
  });

  it("are arcs around one point on the stage side, one seat apart along each arc", () => {
    const seats = generateSeats(section({ curve: 0.5, rows: 8, seatsPerRow: 16, aisles: [8] }));
    const rows = [...rowsOf(seats).values()];
    // The centre: where the perpendicular bisectors of the front row's first and last chords meet.
    const front = rows[0];
    const centre = circleCentre(front[0], front[7], front[15]);
    expect(centre.y).toBeLessThan(front[0].y); // in front of the section, where the stage is
    rows.forEach((row, r) => {
      const radius = dist(row[0], centre);
      for (const seat of row) expect(dist(seat, centre)).toBeCloseTo(radius, 1);
      if (r > 0) expect(radius - dist(rows[r - 1][0], centre)).toBeCloseTo(1, 1); // rows one unit apart
      for (let k = 1; k < row.length; k++) expect(dist(row[k - 1], row[k])).toBeCloseTo(k === 8 ? 2 : 1, 1); // the aisle after seat 8
    });
    // The section starts at its offset: the nearest seats to the stage sit on the top edge.
    expect(Math.min(...seats.map((s) => s.y))).toBe(0);
  });

  it("leave straight rows exactly where they were", () => {
    const seats = generateSeats(section({ rows: 2, seatsPerRow: 4, aisles: [2], offsetX: 5, offsetY: 3 }));
    expect(seats.map((s) => [s.x, s.y])).toEqual([
      [5, 3], [6, 3], [8, 3], [9, 3],
      [5, 4], [6, 4], [8, 4], [9, 4],
    ]); // prettier-ignore
  });
});

describe("turned sections", () => {
  const frontAndBack = (seats: GeneratedSeat[]) => {
    const rows = [...rowsOf(seats).values()];
    const centroid = (row: GeneratedSeat[]) => ({ x: avg(row.map((s) => s.x)), y: avg(row.map((s) => s.y)) });
    return { front: centroid(rows[0]), back: centroid(rows[rows.length - 1]) };
  };

  it("face the stage on the side they name: 90 right, 180 below, 270 left", () => {
    const cases = [
      [0, 0, -1],
      [90, 1, 0],
      [180, 0, 1],
      [270, -1, 0],
    ] as const;
    for (const [rotation, sx, sy] of cases) {
      const { front, back } = frontAndBack(generateSeats(section({ rotation, curve: 0.4 })));
      const toStage = { x: front.x - back.x, y: front.y - back.y };
      const len = Math.hypot(toStage.x, toStage.y);
      expect(toStage.x / len, `rotation ${rotation}`).toBeCloseTo(sx, 5);
      expect(toStage.y / len, `rotation ${rotation}`).toBeCloseTo(sy, 5);
    }
  });

  it("begin at their offset however they are turned, keep their shape and never yield -0", () => {
    const box = (seats: GeneratedSeat[]) => ({
      minX: Math.min(...seats.map((s) => s.x)),
      minY: Math.min(...seats.map((s) => s.y)),
      maxX: Math.max(...seats.map((s) => s.x)),
      maxY: Math.max(...seats.map((s) => s.y)),
    });
    // 21 seats by 6 rows: 20 × 5 between the outer seats' centres; turned a quarter, 5 × 20.
    expect(box(generateSeats(section({ offsetX: 100, offsetY: 50 })))).toEqual({ minX: 100, minY: 50, maxX: 120, maxY: 55 });
    for (const rotation of [90, 270]) {
      const turned = generateSeats(section({ offsetX: 100, offsetY: 50, rotation }));
      expect(box(turned)).toEqual({ minX: 100, minY: 50, maxX: 105, maxY: 70 });
      for (let k = 1; k < 21; k++) expect(dist(turned[k - 1], turned[k])).toBeCloseTo(1, 5);
    }
    expect(box(generateSeats(section({ offsetX: -7, offsetY: 3, rotation: 180 })))).toEqual({ minX: -7, minY: 3, maxX: 13, maxY: 8 });
    expect(generateSeats(section({ rotation: 180 })).some((s) => Object.is(s.x, -0) || Object.is(s.y, -0))).toBe(false);
  });
});

describe("the seat map on curved and turned rows", () => {
  const stand = (rotation: number, curve = 0) =>
    buildSeatModel(layoutOf([{ name: "Stand", layout: section({ rows: 3, seatsPerRow: 12, aisles: [4], curve, rotation }) }]));

  it("keeps each row in seat order, whichever way the row runs on the screen", () => {
    for (const rotation of [0, 90, 180, 270, 30]) {
      for (const curve of [0, 0.7]) {
        const m = stand(rotation, curve);
        for (const row of m.rows) {
          const numbers = row.seqs.map((s) => Number(m.layout.numbers[s]));
          const ascending = numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1);
          const descending = numbers.every((n, i) => i === 0 || n === numbers[i - 1] - 1);
          expect(ascending || descending, `rotation ${rotation}, curve ${curve}: ${numbers}`).toBe(true);
        }
      }
    }
  });

  it("best available keeps a group beside each other, never across an aisle, in a stand turned beside a pitch", () => {
    for (const rotation of [90, 270]) {
      const m = stand(rotation);
      const free = new Array<number>(m.count).fill(0);
      const pick = bestAvailable(m, free, 0, 4)!;
      const numbers = pick.seqs.map((s) => Number(m.layout.numbers[s])).sort((a, b) => a - b);
      expect(numbers, `rotation ${rotation}`).toEqual([5, 6, 7, 8]); // the central block between the aisle and the end
      expect(m.layout.rows[pick.seqs[0]]).toBe("A");
    }
  });

  it("moves the keyboard cursor to the seat behind on a curved row", () => {
    const m = stand(0, 0.8);
    const middleOfA = m.rows[0].seqs[6];
    const behind = moveFocus(m, middleOfA, "ArrowDown")!;
    expect(m.layout.rows[behind]).toBe("B");
    expect(m.layout.numbers[behind]).toBe(m.layout.numbers[middleOfA]);
  });
});

function avg(values: number[]) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The centre of the circle through three points. */
function circleCentre(a: GeneratedSeat, b: GeneratedSeat, c: GeneratedSeat) {
  const d = 2 * (a.x * (b.y - c.y) + b.x * (c.y - a.y) + c.x * (a.y - b.y));
  const sq = (p: GeneratedSeat) => p.x * p.x + p.y * p.y;
  return {
    x: (sq(a) * (b.y - c.y) + sq(b) * (c.y - a.y) + sq(c) * (a.y - b.y)) / d,
    y: (sq(a) * (c.x - b.x) + sq(b) * (a.x - c.x) + sq(c) * (b.x - a.x)) / d,
  };
}
