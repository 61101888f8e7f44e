import type { SectionLayout } from "@/db/schema";
import type { SeatLayout } from "@/lib/seatmap/types";
import { seatAccessOf } from "@/lib/venues/accessibility";
import { generateSeats } from "@/lib/venues/layout";

// Builds a seat layout the way lib/inventory does (seq order = section order, then the
// generator's order), without a database: lib/seatmap is pure.
type Spec = { name: string; layout?: SectionLayout; capacity?: number; priceMinor?: number };

export function layoutOf(specs: Spec[], firstId = 1000): SeatLayout {
  const out: SeatLayout = { sections: [], ids: [], x: [], y: [], rows: [], numbers: [], access: [] };
  for (const [i, spec] of specs.entries()) {
    const firstSeq = out.ids.length;
    const seats = spec.layout ? generateSeats(spec.layout) : Array.from({ length: spec.capacity ?? 0 }, () => null);
    const accessOf = spec.layout ? seatAccessOf(spec.layout) : () => null;
    for (const seat of seats) {
      out.ids.push(firstId + out.ids.length);
      out.x.push(seat?.x ?? null);
      out.y.push(seat?.y ?? null);
      out.rows.push(seat?.rowLabel ?? null);
      out.numbers.push(seat?.seatNumber ?? null);
      const access = seat ? accessOf(seat) : null;
      out.access.push(access === "WHEELCHAIR" ? 1 : access === "COMPANION" ? 2 : 0);
    }
    out.sections.push({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      name: spec.name,
      kind: spec.layout ? "ASSIGNED" : "GA",
      color: "#4f46e5",
      priceMinor: spec.priceMinor ?? 1000,
      capacity: seats.length,
      firstSeq,
      count: seats.length,
    });
  }
  return out;
}

export function stadiumLayout(): SeatLayout {
  const stand = (name: string, offsetY: number): Spec => ({
    name,
    layout: { rows: 25, seatsPerRow: 200, rowLabels: "numbers", numbering: "ltr", aisles: [50, 100, 150], curve: 0, offsetX: 0, offsetY },
  });
  return layoutOf([stand("North", 0), stand("East", 30), stand("South", 60), stand("West", 90), { name: "Pitch", capacity: 5000 }]);
}
