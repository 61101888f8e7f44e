import type { SectionLayout } from "@/db/schema";

// Turns a section's layout parameters into concrete seats with map positions. Positions are in
// "seat units" (one seat is 1 wide, one row is 1 deep); the seat map scales them to pixels.
// Pure and deterministic: the same layout always yields the same seats in the same order,
// which is the order of the inventory bitmap.
//
// Unturned, the stage is above the section (smaller y) and rows run back from it. A curved
// section's rows are arcs of circles around one point on the stage side, so every seat of a
// row faces the stage and the row's ends come forward around it; seats stay one unit apart
// along each arc. `rotation` then turns the section clockwise: 90 puts the stage to its right,
// 180 below, 270 to its left, as the stands around a pitch. Turned or not, the offset is where
// the section's box begins on the map (its top-left corner as drawn).

export type GeneratedSeat = { rowLabel: string; seatNumber: string; x: number; y: number };

/** How far a front row of the given curve wraps around its centre, at most a quarter turn. */
const MAX_SWEEP = Math.PI / 2;

export function rowLabel(index: number, style: SectionLayout["rowLabels"] = "letters"): string {
  if (style === "numbers") return String(index + 1);
  // A..Z, AA..AZ, BA.. like spreadsheet columns.
  let n = index;
  let label = "";
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}

export function sectionWidth(layout: SectionLayout): number {
  return layout.seatsPerRow + (layout.aisles?.length ?? 0);
}

/** Position of a seat in the section's own frame: `column` across (aisles counted), `row` back from the stage. */
function placeInSection(layout: SectionLayout, column: number, row: number): { x: number; y: number } {
  const span = sectionWidth(layout) - 1;
  const half = span / 2;
  const curve = Math.min(Math.max(layout.curve ?? 0, 0), 1);
  if (curve === 0 || span === 0) return { x: column, y: row };
  // The front row's arc sweeps curve × MAX_SWEEP; the rows behind share its centre.
  const frontRadius = span / (curve * MAX_SWEEP);
  const radius = frontRadius + row;
  const angle = (column - half) / radius;
  // Shifted so the front row's ends, the seats nearest the stage, sit on the section's top edge.
  const lift = frontRadius * (1 - Math.cos(half / frontRadius));
  return { x: half + radius * Math.sin(angle), y: radius * Math.cos(angle) - frontRadius + lift };
}

export function generateSeats(layout: SectionLayout): GeneratedSeat[] {
  const seats: GeneratedSeat[] = [];
  const aisles = new Set(layout.aisles ?? []);
  const ox = layout.offsetX ?? 0;
  const oy = layout.offsetY ?? 0;
  const turn = (((layout.rotation ?? 0) % 360) * Math.PI) / 180;
  const cos = Math.cos(turn);
  const sin = Math.sin(turn);
  // The section turns about the middle of its straight box, which then sits with its top-left
  // corner on the offset.
  const w = sectionWidth(layout) - 1;
  const h = layout.rows - 1;
  const cx = w / 2;
  const cy = h / 2;
  const hx = (Math.abs(cos) * w + Math.abs(sin) * h) / 2;
  const hy = (Math.abs(sin) * w + Math.abs(cos) * h) / 2;
  for (let r = 0; r < layout.rows; r++) {
    let column = 0;
    for (let s = 1; s <= layout.seatsPerRow; s++) {
      const number = layout.numbering === "rtl" ? layout.seatsPerRow - s + 1 : s;
      const p = placeInSection(layout, column, r);
      const dx = p.x - cx;
      const dy = p.y - cy;
      seats.push({
        rowLabel: rowLabel(r, layout.rowLabels),
        seatNumber: String(number),
        x: round(ox + hx + dx * cos - dy * sin),
        y: round(oy + hy + dx * sin + dy * cos),
      });
      column += aisles.has(s) ? 2 : 1;
    }
  }
  return seats;
}

export function layoutCapacity(layout: Pick<SectionLayout, "rows" | "seatsPerRow">): number {
  return layout.rows * layout.seatsPerRow;
}

function round(n: number) {
  // No "-0": a turned section's positions compare and encode like any other.
  return Math.round(n * 100) / 100 + 0;
}
