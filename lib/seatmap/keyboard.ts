import { isAssigned, type SeatModel } from "./model";

// Keyboard navigation of the seat map: a focus cursor that moves seat by seat. Left/right walk
// the row (aisles included), up/down go to the neighbouring row at the nearest position,
// Home/End jump to the row's ends, PageUp/PageDown to the previous/next section. At a section's
// edge the cursor continues into the nearest seat of another section in that direction, so a
// keyboard user can reach every seat of any venue shape.

export const NAV_KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"] as const;
export type NavKey = (typeof NAV_KEYS)[number];

export function isNavKey(key: string): key is NavKey {
  return (NAV_KEYS as readonly string[]).includes(key);
}

export function firstSeat(model: SeatModel): number | null {
  const row = model.rows[0];
  return row ? row.seqs[0] : null;
}

/** The seat of a row nearest to a seat (straight rows: the one at the same position across). */
function nearestInRow(model: SeatModel, rowIndex: number, from: number): number {
  const seqs = model.rows[rowIndex].seqs;
  // Compared across the row only: a curved row behind is nearest at the same place along it.
  const across = (seq: number) => (seqs.length > 1 ? projection(model, seqs, seq) : 0);
  const target = across(from);
  let best = seqs[0];
  for (const seq of seqs) if (Math.abs(across(seq) - target) < Math.abs(across(best) - target)) best = seq;
  return best;
}

/** Position of a seat projected on the direction of a row (first to last seat). */
function projection(model: SeatModel, seqs: number[], seq: number): number {
  const a = seqs[0];
  const b = seqs[seqs.length - 1];
  const dx = model.xs[b] - model.xs[a];
  const dy = model.ys[b] - model.ys[a];
  const len = Math.hypot(dx, dy) || 1;
  return ((model.xs[seq] - model.xs[a]) * dx + (model.ys[seq] - model.ys[a]) * dy) / len;
}

/** Nearest seat of another section in a direction (dx, dy unit vector), or null. */
function crossSection(model: SeatModel, from: number, dx: number, dy: number): number | null {
  const fx = model.xs[from];
  const fy = model.ys[from];
  const own = model.sectionOf[from];
  let best: number | null = null;
  let bestCost = Infinity;
  for (let seq = 0; seq < model.count; seq++) {
    if (model.sectionOf[seq] === own || model.rowOf[seq] < 0) continue;
    const vx = model.xs[seq] - fx;
    const vy = model.ys[seq] - fy;
    const along = vx * dx + vy * dy;
    if (along <= 0.5) continue;
    const across = Math.abs(vx * dy - vy * dx);
    const cost = along + 2 * across;
    if (cost < bestCost) {
      bestCost = cost;
      best = seq;
    }
  }
  return best;
}

export function moveFocus(model: SeatModel, from: number | null, key: NavKey): number | null {
  if (from === null || !isAssigned(model, from)) return firstSeat(model);
  const ri = model.rowOf[from];
  const row = model.rows[ri];
  const pos = model.posInRow[from];
  const rowsOfSection = model.sectionRows[row.section];
  const rowPos = rowsOfSection.indexOf(ri);
  switch (key) {
    case "ArrowLeft":
      return pos > 0 ? row.seqs[pos - 1] : (crossSection(model, from, -1, 0) ?? from);
    case "ArrowRight":
      return pos < row.seqs.length - 1 ? row.seqs[pos + 1] : (crossSection(model, from, 1, 0) ?? from);
    case "ArrowUp":
      return rowPos > 0 ? nearestInRow(model, rowsOfSection[rowPos - 1], from) : (crossSection(model, from, 0, -1) ?? from);
    case "ArrowDown":
      return rowPos < rowsOfSection.length - 1 ? nearestInRow(model, rowsOfSection[rowPos + 1], from) : (crossSection(model, from, 0, 1) ?? from);
    case "Home":
      return row.seqs[0];
    case "End":
      return row.seqs[row.seqs.length - 1];
    case "PageUp":
    case "PageDown": {
      const step = key === "PageUp" ? -1 : 1;
      for (let s = row.section + step; s >= 0 && s < model.sectionRows.length; s += step) {
        const rowsOf = model.sectionRows[s];
        if (rowsOf.length) return nearestInRow(model, rowsOf[0], from);
      }
      return from;
    }
  }
}
