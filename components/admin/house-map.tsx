"use client";
import { useMemo } from "react";
import type { SeatLayout } from "@/lib/seatmap/types";
import { decodeStates } from "@/lib/seatmap/bitmap";
import { SeatCanvas } from "./seat-canvas";

// The house as the organizer sees it: sold seats in their section's colour, held seats amber,
// seats kept off sale dark stone, free seats pale. Positions come from the (immutable) layout,
// states from the live snapshot.

const HELD = "#f59e0b";
const BLOCKED = "#57534e";
const FREE = "#e2e8f0";

export function HouseMap({ layout, seats }: { layout: SeatLayout; seats: { count: number; data: string } | null }) {
  const points = useMemo(() => {
    const states = seats ? decodeStates(seats.data, seats.count) : new Uint8Array(layout.ids.length);
    const xs: number[] = [];
    const ys: number[] = [];
    const colors: string[] = [];
    let sold = 0;
    let held = 0;
    let blocked = 0;
    for (const s of layout.sections) {
      for (let seq = s.firstSeq; seq < s.firstSeq + s.count; seq++) {
        const x = layout.x[seq];
        const y = layout.y[seq];
        if (x === null || y === null) continue;
        const state = states[seq];
        if (state === 2) sold++;
        if (state === 1) held++;
        if (state === 3) blocked++;
        xs.push(x);
        ys.push(y);
        colors.push(state === 2 ? s.color : state === 1 ? HELD : state === 3 ? BLOCKED : FREE);
      }
    }
    return { xs, ys, colors, sold, held, blocked };
  }, [layout, seats]);
  if (points.xs.length === 0) return <p className="text-sm text-slate-600">This event has general admission only: no seat map.</p>;
  return (
    <div className="space-y-2">
      <SeatCanvas
        points={points}
        label={`Seat map: ${points.sold} seats sold, ${points.held} held, ${points.blocked} off sale, ${points.xs.length - points.sold - points.held - points.blocked} free`}
        testId="house-map"
      />
      <ul className="flex flex-wrap gap-4 text-xs text-slate-700">
        <li className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm bg-indigo-600" aria-hidden /> Sold (section colour)
        </li>
        <li className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm" style={{ background: HELD }} aria-hidden /> Held
        </li>
        <li className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm" style={{ background: BLOCKED }} aria-hidden /> Off sale
        </li>
        <li className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm border border-slate-300" style={{ background: FREE }} aria-hidden /> Free
        </li>
      </ul>
    </div>
  );
}
