import { SEAT_SIZE, type SeatModel } from "@/lib/seatmap/model";
import type { View } from "./draw";

// The seat map's view transform (screen = world * scale + offset) and the moves on it: fit the
// venue, zoom around a point, bring a seat into sight. Pure, so the component stays about
// events and drawing.

export const MAX_SEAT_PX = 64;
export const FIT_MAX_SCALE = 40; // px per seat unit when showing a small venue whole
const STAGE_ROOM = 48; // px above the seats for the stage and the first section's label
const PAD = 2; // seat units around the venue

type Size = { width: number; height: number };
type Bounds = NonNullable<SeatModel["bounds"]>;

const EMPTY: Bounds = { minX: 0, minY: 0, maxX: 1, maxY: 1 };

export function fitView(bounds: Bounds | null, { width, height }: Size): View {
  const b = bounds ?? EMPTY;
  const scale = Math.min(FIT_MAX_SCALE, width / (b.maxX - b.minX + PAD * 2), (height - STAGE_ROOM) / (b.maxY - b.minY + PAD * 2));
  return {
    scale,
    ox: width / 2 - ((b.minX + b.maxX) / 2) * scale,
    oy: STAGE_ROOM + (height - STAGE_ROOM) / 2 - ((b.minY + b.maxY) / 2) * scale,
  };
}

/** Zoom by `factor` keeping the point (sx, sy) still; never smaller than 70% of the fit. */
export function zoomView(view: View, factor: number, sx: number, sy: number, fitScale: number): View {
  const scale = Math.min(MAX_SEAT_PX / SEAT_SIZE, Math.max(fitScale * 0.7, view.scale * factor));
  const k = scale / view.scale;
  return { scale, ox: sx - (sx - view.ox) * k, oy: sy - (sy - view.oy) * k };
}

/** Pan (and zoom in if seats are tiny) so the seat at (x, y) is comfortably visible. */
export function viewShowing(view: View, x: number, y: number, { width, height }: Size, minSeatPx: number): View {
  let next = view;
  if (view.scale * SEAT_SIZE < minSeatPx) next = { ...view, scale: minSeatPx / SEAT_SIZE };
  const sx = x * next.scale + next.ox;
  const sy = y * next.scale + next.oy;
  const margin = 40;
  if (next !== view || sx < margin || sy < margin || sx > width - margin || sy > height - margin) {
    next = { ...next, ox: width / 2 - x * next.scale, oy: height / 2 - y * next.scale };
  }
  return next;
}

/** CSS for the canvas box: the venue's own shape, within a phone-friendly height. */
export function boxStyle(bounds: Bounds | null) {
  const b = bounds ?? { minX: 0, minY: 0, maxX: 10, maxY: 5 };
  return {
    aspectRatio: `${b.maxX - b.minX + 4} / ${b.maxY - b.minY + 10}`,
    maxHeight: `min(60vh, ${Math.round((b.maxY - b.minY + 10) * FIT_MAX_SCALE)}px)`,
  };
}
