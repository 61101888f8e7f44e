import { withAreas } from "./areas";
import type { SeatLayout } from "./types";

// The seat map's working model, built once per layout: positions in typed arrays, assigned
// seats grouped into rows (sorted left to right), and a uniform grid for hit testing, so a
// click or a key press costs microseconds even for a 20,000-seat stadium.

export type SeatRow = { section: number; label: string; seqs: number[] };

export type SeatModel = {
  layout: SeatLayout;
  count: number;
  xs: Float64Array; // NaN for places without a position (general admission)
  ys: Float64Array;
  sectionOf: Int32Array; // index into layout.sections
  rows: SeatRow[]; // assigned rows, section by section, in generation order (front first), seats in order along the row
  sectionRows: number[][]; // per section: indices into rows
  rowOf: Int32Array; // -1 for general admission
  posInRow: Int32Array;
  bounds: { minX: number; minY: number; maxX: number; maxY: number } | null; // seats and general-admission areas
  grid: { x0: number; y0: number; cell: number; w: number; h: number; start: Int32Array; items: Int32Array };
};

export const SEAT_SIZE = 0.8; // drawn size of a seat, in seat units

export function buildSeatModel(layout: SeatLayout): SeatModel {
  const count = layout.ids.length;
  const xs = new Float64Array(count).fill(NaN);
  const ys = new Float64Array(count).fill(NaN);
  const sectionOf = new Int32Array(count).fill(-1);
  const rowOf = new Int32Array(count).fill(-1);
  const posInRow = new Int32Array(count).fill(-1);
  const rows: SeatRow[] = [];
  const sectionRows: number[][] = layout.sections.map(() => []);
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;

  layout.sections.forEach((section, si) => {
    const byLabel = new Map<string, number>();
    for (let seq = section.firstSeq; seq < section.firstSeq + section.count && seq < count; seq++) {
      sectionOf[seq] = si;
      const x = layout.x[seq];
      const y = layout.y[seq];
      if (x === null || y === null || x === undefined || y === undefined) continue;
      xs[seq] = x;
      ys[seq] = y;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
      const label = layout.rows[seq] ?? "";
      let ri = byLabel.get(label);
      if (ri === undefined) {
        ri = rows.length;
        byLabel.set(label, ri);
        rows.push({ section: si, label, seqs: [] });
        sectionRows[si].push(ri);
      }
      rows[ri].seqs.push(seq);
    }
  });
  rows.forEach((row, ri) => {
    const along = rowDirection(xs, ys, row.seqs);
    row.seqs.sort((a, b) => (xs[a] - xs[b]) * along.x + (ys[a] - ys[b]) * along.y);
    row.seqs.forEach((seq, pos) => {
      rowOf[seq] = ri;
      posInRow[seq] = pos;
    });
  });
  const seatBounds = Number.isFinite(minX) ? { minX, minY, maxX, maxY } : null;
  const bounds = withAreas(
    seatBounds,
    layout.sections.map((s) => s.area),
  );
  return { layout, count, xs, ys, sectionOf, rows, sectionRows, rowOf, posInRow, bounds, grid: buildGrid(xs, ys, seatBounds) };
}

/**
 * The direction a row runs, from its chord: left to right, or top to bottom for a row that runs
 * up and down the map (a stand turned beside a pitch). Sorting along it keeps a curved or turned
 * row in seat order, where sorting by x alone would not.
 */
function rowDirection(xs: Float64Array, ys: Float64Array, seqs: number[]): { x: number; y: number } {
  const first = seqs[0];
  const last = seqs[seqs.length - 1];
  let dx = xs[last] - xs[first];
  let dy = ys[last] - ys[first];
  if (Math.abs(dx) >= Math.abs(dy) ? dx < 0 : dy < 0) {
    dx = -dx;
    dy = -dy;
  }
  return dx === 0 && dy === 0 ? { x: 1, y: 0 } : { x: dx, y: dy };
}

/** Distance between two seats, in seat units. */
export function seatDistance(model: Pick<SeatModel, "xs" | "ys">, a: number, b: number): number {
  return Math.hypot(model.xs[a] - model.xs[b], model.ys[a] - model.ys[b]);
}

function buildGrid(xs: Float64Array, ys: Float64Array, bounds: SeatModel["bounds"]): SeatModel["grid"] {
  if (!bounds) return { x0: 0, y0: 0, cell: 1, w: 0, h: 0, start: new Int32Array(1), items: new Int32Array(0) };
  const x0 = Math.floor(bounds.minX) - 1;
  const y0 = Math.floor(bounds.minY) - 1;
  const spanX = bounds.maxX - x0 + 2;
  const spanY = bounds.maxY - y0 + 2;
  // Cells of one seat unit, grown for sparse layouts so the grid never dwarfs the seat count.
  const cell = Math.max(1, Math.ceil(Math.sqrt((spanX * spanY) / (4 * xs.length + 1024))));
  const w = Math.ceil(spanX / cell) + 1;
  const h = Math.ceil(spanY / cell) + 1;
  const cellOf = (seq: number) => Math.floor((ys[seq] - y0) / cell) * w + Math.floor((xs[seq] - x0) / cell);
  // Counting sort into a compressed row layout: start[c]..start[c+1] are the seats of cell c.
  const start = new Int32Array(w * h + 1);
  for (let seq = 0; seq < xs.length; seq++) if (!Number.isNaN(xs[seq])) start[cellOf(seq) + 1]++;
  for (let c = 0; c < w * h; c++) start[c + 1] += start[c];
  const fill = start.slice(0, w * h);
  const items = new Int32Array(start[w * h]);
  for (let seq = 0; seq < xs.length; seq++) if (!Number.isNaN(xs[seq])) items[fill[cellOf(seq)]++] = seq;
  return { x0, y0, cell, w, h, start, items };
}

/** The seat under a point in seat units, or null. */
export function seatAt(model: SeatModel, wx: number, wy: number): number | null {
  const { x0, y0, cell, w, h, start, items } = model.grid;
  const cx = Math.floor((wx - x0) / cell);
  const cy = Math.floor((wy - y0) / cell);
  let best: number | null = null;
  let bestD = Infinity;
  const reach = SEAT_SIZE / 2 + 0.1; // a little forgiving for fingers
  for (let gy = cy - 1; gy <= cy + 1; gy++) {
    if (gy < 0 || gy >= h) continue;
    for (let gx = cx - 1; gx <= cx + 1; gx++) {
      if (gx < 0 || gx >= w) continue;
      const c = gy * w + gx;
      for (let k = start[c]; k < start[c + 1]; k++) {
        const seq = items[k];
        const dx = Math.abs(model.xs[seq] - wx);
        const dy = Math.abs(model.ys[seq] - wy);
        if (dx > reach || dy > reach) continue;
        const d = dx * dx + dy * dy;
        if (d < bestD) {
          bestD = d;
          best = seq;
        }
      }
    }
  }
  return best;
}

export function isAssigned(model: SeatModel, seq: number): boolean {
  return seq >= 0 && seq < model.count && model.rowOf[seq] >= 0;
}

export function seatLabel(model: SeatModel, seq: number): string {
  const section = model.layout.sections[model.sectionOf[seq]];
  const row = model.layout.rows[seq];
  const number = model.layout.numbers[seq];
  const parts = [section?.name ?? "Seat"];
  if (row) parts.push(`row ${row}`);
  if (number) parts.push(`seat ${number}`);
  return parts.join(", ");
}

/** Map inventory ids (the API's seat ids) to seqs. */
export function seqByIdMap(layout: SeatLayout): Map<number, number> {
  const map = new Map<number, number>();
  layout.ids.forEach((id, seq) => map.set(id, seq));
  return map;
}
