import { availableIn, stageAbove } from "@/lib/seatmap/areas";
import { SEAT_SIZE, type SeatModel } from "@/lib/seatmap/model";
import { SEAT_ACCESS_COMPANION, SEAT_ACCESS_WHEELCHAIR, SEAT_BLOCKED, SEAT_HELD, SEAT_SOLD } from "@/lib/seatmap/types";
import { SEAT_COLORS } from "./colors";

// Draws the whole seat map onto one canvas. Seats are batched by fill colour into one path per
// colour (a handful of fill calls for 20,000 seats) and culled to the visible area, so a frame
// costs a few milliseconds even for a stadium. Details (marks, numbers, row labels) appear only
// once seats are large enough on screen to carry them.

export type View = { scale: number; ox: number; oy: number }; // screen = world * scale + offset

export type DrawInput = {
  model: SeatModel;
  states: Uint8Array;
  mine: Uint8Array;
  selected: ReadonlySet<number>;
  flagged: ReadonlySet<number>;
  focus: number | null;
  showFocus: boolean;
  accessibleOnly?: boolean; // fade every seat that is neither a wheelchair space nor a companion seat
  view: View;
  width: number; // CSS pixels
  height: number;
  dpr: number;
};

type SectionBox = { name: string; minX: number; minY: number; maxX: number; maxY: number };
const boxCache = new WeakMap<SeatModel, SectionBox[]>();

function sectionBoxes(model: SeatModel): SectionBox[] {
  let boxes = boxCache.get(model);
  if (boxes) return boxes;
  boxes = model.layout.sections.map((s) => ({ name: s.name, minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity }));
  for (let seq = 0; seq < model.count; seq++) {
    if (Number.isNaN(model.xs[seq])) continue;
    const b = boxes[model.sectionOf[seq]];
    b.minX = Math.min(b.minX, model.xs[seq]);
    b.maxX = Math.max(b.maxX, model.xs[seq]);
    b.minY = Math.min(b.minY, model.ys[seq]);
    b.maxY = Math.max(b.maxY, model.ys[seq]);
  }
  boxCache.set(model, boxes);
  return boxes;
}

export function seatColor(input: DrawInput, seq: number): string {
  if (input.selected.has(seq)) return SEAT_COLORS.selected;
  if (input.mine[seq]) return SEAT_COLORS.mine;
  const state = input.states[seq];
  if (state === SEAT_SOLD) return SEAT_COLORS.sold;
  if (state === SEAT_HELD) return SEAT_COLORS.held;
  if (state === SEAT_BLOCKED) return SEAT_COLORS.blocked;
  if (input.accessibleOnly && !input.model.layout.access?.[seq]) return SEAT_COLORS.faded;
  return input.model.layout.sections[input.model.sectionOf[seq]].color;
}

export function drawSeatMap(ctx: CanvasRenderingContext2D, input: DrawInput) {
  const { model, view, width, height, dpr } = input;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  drawStage(ctx, input);
  drawAreas(ctx, input);
  const size = Math.max(1.5, SEAT_SIZE * view.scale);
  const half = size / 2;
  const rounded = size >= 8;

  const buckets = new Map<string, number[]>();
  const visible: number[] = [];
  for (let seq = 0; seq < model.count; seq++) {
    const x = model.xs[seq];
    if (Number.isNaN(x)) continue;
    const sx = x * view.scale + view.ox;
    const sy = model.ys[seq] * view.scale + view.oy;
    if (sx < -size || sy < -size || sx > width + size || sy > height + size) continue;
    const color = seatColor(input, seq);
    let bucket = buckets.get(color);
    if (!bucket) buckets.set(color, (bucket = []));
    bucket.push(sx - half, sy - half);
    if (size >= 7) visible.push(seq);
  }
  for (const [color, rects] of buckets) {
    ctx.fillStyle = color;
    ctx.beginPath();
    for (let i = 0; i < rects.length; i += 2) {
      if (rounded) ctx.roundRect(rects[i], rects[i + 1], size, size, size * 0.25);
      else ctx.rect(rects[i], rects[i + 1], size, size);
    }
    ctx.fill();
  }
  if (size >= 7) drawMarks(ctx, input, visible, size);
  drawLabels(ctx, input, size);
  drawRings(ctx, input, size);
}

function drawMarks(ctx: CanvasRenderingContext2D, input: DrawInput, seqs: number[], size: number) {
  const { model, view } = input;
  const showNumbers = size >= 20;
  ctx.lineWidth = Math.max(1, size / 10);
  ctx.strokeStyle = "#ffffff";
  ctx.fillStyle = "#ffffff";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.font = `600 ${Math.round(size * 0.42)}px system-ui, sans-serif`;
  for (const seq of seqs) {
    const sx = model.xs[seq] * view.scale + view.ox;
    const sy = model.ys[seq] * view.scale + view.oy;
    const r = size * 0.22;
    const color = seatColor(input, seq);
    ctx.beginPath();
    if (color === SEAT_COLORS.sold) {
      ctx.moveTo(sx - r, sy - r);
      ctx.lineTo(sx + r, sy + r);
      ctx.moveTo(sx + r, sy - r);
      ctx.lineTo(sx - r, sy + r);
      ctx.stroke();
    } else if (color === SEAT_COLORS.held) {
      ctx.strokeStyle = "#475569";
      ctx.moveTo(sx - r, sy);
      ctx.lineTo(sx + r, sy);
      ctx.stroke();
      ctx.strokeStyle = "#ffffff";
    } else if (color === SEAT_COLORS.blocked) {
      ctx.strokeStyle = "#78716c";
      ctx.moveTo(sx - r, sy + r);
      ctx.lineTo(sx + r, sy - r);
      ctx.stroke();
      ctx.strokeStyle = "#ffffff";
    } else if (color === SEAT_COLORS.selected || color === SEAT_COLORS.mine) {
      ctx.arc(sx, sy, r * 0.8, 0, Math.PI * 2);
      ctx.fill();
    } else if (model.layout.access?.[seq] === SEAT_ACCESS_WHEELCHAIR || model.layout.access?.[seq] === SEAT_ACCESS_COMPANION) {
      drawAccessMark(ctx, sx, sy, size, model.layout.access[seq]);
    } else if (showNumbers) {
      ctx.fillText(model.layout.numbers[seq] ?? "", sx, sy + 0.5);
    }
  }
}

/** ♿ for a wheelchair space, a small "C" for a companion seat, in white on the seat. */
function drawAccessMark(ctx: CanvasRenderingContext2D, sx: number, sy: number, size: number, access: number) {
  const font = ctx.font;
  ctx.font = `700 ${Math.round(size * (access === SEAT_ACCESS_WHEELCHAIR ? 0.62 : 0.5))}px system-ui, sans-serif`;
  ctx.fillText(access === SEAT_ACCESS_WHEELCHAIR ? "\u267F" : "C", sx, sy + 0.5);
  ctx.font = font;
}

const stageCache = new WeakMap<SeatModel, boolean>();

/**
 * The stage sits in front of the first rows (the smallest y, as the layout generator places an
 * unturned section). Sections facing different ways (stands around a pitch) have no one stage
 * side: the pitch is then a general-admission area or the empty middle, and no box is drawn.
 */
function drawStage(ctx: CanvasRenderingContext2D, input: DrawInput) {
  const b = input.model.bounds;
  if (!b) return;
  let above = stageCache.get(input.model);
  if (above === undefined) stageCache.set(input.model, (above = stageAbove(input.model)));
  if (!above) return;
  const { view } = input;
  const w = Math.max(80, (b.maxX - b.minX) * 0.5 * view.scale);
  const cx = ((b.minX + b.maxX) / 2) * view.scale + view.ox;
  const bottom = (b.minY - 1.6) * view.scale + view.oy - 16;
  const h = 22;
  ctx.fillStyle = "#e2e8f0";
  ctx.beginPath();
  ctx.roundRect(cx - w / 2, bottom - h, w, h, 6);
  ctx.fill();
  ctx.fillStyle = "#334155";
  ctx.font = "600 12px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText("STAGE", cx, bottom - h / 2);
}

/** General-admission areas: a tinted box in the section's colour with its name and what is left. */
function drawAreas(ctx: CanvasRenderingContext2D, input: DrawInput) {
  const { model, view } = input;
  model.layout.sections.forEach((section, si) => {
    const a = section.area;
    if (!a) return;
    const x = a.x * view.scale + view.ox;
    const y = a.y * view.scale + view.oy;
    const w = a.width * view.scale;
    const h = a.height * view.scale;
    if (x > input.width || y > input.height || x + w < 0 || y + h < 0) return;
    const left = availableIn(model, input.states, si);
    ctx.fillStyle = left > 0 ? `${section.color}2e` : "#e2e8f0";
    ctx.strokeStyle = left > 0 ? section.color : "#94a3b8";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.roundRect(x, y, w, h, Math.min(12, w / 8, h / 8));
    ctx.fill();
    ctx.stroke();
    if (w < 60 || h < 28) return;
    const cx = x + w / 2;
    const cy = Math.min(Math.max(y + h / 2, 20), input.height - 20); // stays readable when zoomed into the area
    ctx.fillStyle = "#0f172a";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.font = "600 14px system-ui, sans-serif";
    ctx.fillText(section.name, cx, cy - 9);
    ctx.font = "500 12px system-ui, sans-serif";
    ctx.fillStyle = "#334155";
    ctx.fillText(left > 0 ? `${left.toLocaleString("en")} left · click to choose how many` : "Sold out", cx, cy + 9);
  });
}

function drawLabels(ctx: CanvasRenderingContext2D, input: DrawInput, size: number) {
  const { model, view } = input;
  ctx.fillStyle = "#1e293b";
  ctx.textBaseline = "bottom";
  ctx.textAlign = "left";
  ctx.font = `600 13px system-ui, sans-serif`;
  for (const b of sectionBoxes(model)) {
    if (!Number.isFinite(b.minX)) continue;
    const x = (b.minX - SEAT_SIZE / 2) * view.scale + view.ox;
    const y = (b.minY - SEAT_SIZE / 2) * view.scale + view.oy - 3;
    if ((b.maxX - b.minX) * view.scale < 40) continue;
    ctx.fillText(b.name, Math.max(4, x), y);
  }
  if (size < 9) return;
  ctx.textBaseline = "middle";
  ctx.fillStyle = "#334155";
  ctx.font = `500 ${Math.min(14, Math.round(size * 0.5))}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  for (const row of model.rows) {
    // Just before the row's first seat, along the row: left of a row that runs left to right,
    // above one that runs down the map (a stand turned beside a pitch).
    const first = row.seqs[0];
    const next = row.seqs[1] ?? first;
    const dx = model.xs[first] - model.xs[next];
    const dy = model.ys[first] - model.ys[next];
    const len = Math.hypot(dx, dy);
    const [ux, uy] = len > 0 ? [dx / len, dy / len] : [-1, 0];
    const sx = model.xs[first] * view.scale + view.ox + ux * size * 1.1;
    const sy = model.ys[first] * view.scale + view.oy + uy * size * 1.1;
    if (sy < 0 || sy > input.height || sx < 0 || sx > input.width) continue;
    ctx.fillText(row.label, sx, sy);
  }
}

function drawRings(ctx: CanvasRenderingContext2D, input: DrawInput, size: number) {
  const { model, view } = input;
  const ring = (seq: number, color: string, width: number) => {
    const sx = model.xs[seq] * view.scale + view.ox;
    const sy = model.ys[seq] * view.scale + view.oy;
    const r = Math.max(size / 2 + width, 7);
    ctx.lineWidth = width;
    ctx.strokeStyle = color;
    ctx.beginPath();
    ctx.arc(sx, sy, r, 0, Math.PI * 2);
    ctx.stroke();
  };
  for (const seq of input.flagged) if (!Number.isNaN(model.xs[seq])) ring(seq, SEAT_COLORS.flagged, 2.5);
  if (input.showFocus && input.focus !== null && !Number.isNaN(model.xs[input.focus])) {
    ring(input.focus, "#ffffff", 5);
    ring(input.focus, SEAT_COLORS.focus, 3);
  }
}
