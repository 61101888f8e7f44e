import type { SectionLayout } from "@/db/schema";

// Turns a section's layout parameters into concrete seats with map positions. Positions are in
// "seat units" (one seat is 1 wide, one row is 1 deep); the seat map scales them to pixels.
// Pure and deterministic: the same layout always yields the same seats in the same order,
// which is the order of the inventory bitmap.

export type GeneratedSeat = { rowLabel: string; seatNumber: string; x: number; y: number };

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

export function generateSeats(layout: SectionLayout): GeneratedSeat[] {
  const seats: GeneratedSeat[] = [];
  const aisles = new Set(layout.aisles ?? []);
  const width = sectionWidth(layout);
  const half = Math.max(1, (width - 1) / 2);
  const curve = Math.min(Math.max(layout.curve ?? 0, 0), 1);
  const ox = layout.offsetX ?? 0;
  const oy = layout.offsetY ?? 0;
  for (let r = 0; r < layout.rows; r++) {
    let column = 0;
    for (let s = 1; s <= layout.seatsPerRow; s++) {
      const number = layout.numbering === "rtl" ? layout.seatsPerRow - s + 1 : s;
      const fromCentre = (column - half) / half; // -1 .. 1
      const bend = curve * 2 * (1 - fromCentre * fromCentre); // rows bow towards the stage
      seats.push({
        rowLabel: rowLabel(r, layout.rowLabels),
        seatNumber: String(number),
        x: round(ox + column),
        y: round(oy + r - bend),
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
  return Math.round(n * 100) / 100;
}
