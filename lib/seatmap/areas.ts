import type { SeatModel } from "./model";
import type { MapArea } from "./types";

// General-admission areas on the map (a standing pitch, a floor): a rectangle per section, in
// the same seat units as the seats, drawn under them and clickable. A section without an area
// is sold from its picker only.

/** The smallest box around every seat and area, or null for a venue with neither. */
export function withAreas(bounds: SeatModel["bounds"], areas: (MapArea | null | undefined)[]): SeatModel["bounds"] {
  let b = bounds;
  for (const a of areas) {
    if (!a) continue;
    const box = { minX: a.x, minY: a.y, maxX: a.x + a.width, maxY: a.y + a.height };
    b = b ? { minX: Math.min(b.minX, box.minX), minY: Math.min(b.minY, box.minY), maxX: Math.max(b.maxX, box.maxX), maxY: Math.max(b.maxY, box.maxY) } : box;
  }
  return b;
}

/** The section whose area is under a point in seat units (the last drawn wins), or null. */
export function areaAt(model: SeatModel, wx: number, wy: number): number | null {
  const sections = model.layout.sections;
  for (let si = sections.length - 1; si >= 0; si--) {
    const a = sections[si].area;
    if (a && wx >= a.x && wx <= a.x + a.width && wy >= a.y && wy <= a.y + a.height) return si;
  }
  return null;
}

/** Places of a section still available, from the live states (GA places have no position). */
export function availableIn(model: SeatModel, states: ArrayLike<number>, si: number): number {
  const s = model.layout.sections[si];
  let n = 0;
  for (let seq = s.firstSeq; seq < s.firstSeq + s.count; seq++) if (states[seq] === 0) n++;
  return n;
}

/**
 * Whether every section's front row is nearer the top of the map than its back row: then the
 * stage is drawn above the seats. Sections that face different ways (stands around a pitch)
 * have no single stage side, and none is drawn.
 */
export function stageAbove(model: SeatModel): boolean {
  for (const rows of model.sectionRows) {
    if (rows.length < 2) continue;
    const front = centroid(model, model.rows[rows[0]].seqs);
    const back = centroid(model, model.rows[rows[rows.length - 1]].seqs);
    const dx = front.x - back.x;
    const dy = front.y - back.y;
    if (!(dy < 0 && Math.abs(dx) < -dy)) return false;
  }
  return true;
}

function centroid(model: SeatModel, seqs: number[]) {
  let x = 0;
  let y = 0;
  for (const seq of seqs) {
    x += model.xs[seq];
    y += model.ys[seq];
  }
  return { x: x / seqs.length, y: y / seqs.length };
}
