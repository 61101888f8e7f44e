"use client";
import { useEffect, useMemo, useRef, useState } from "react";

// Draws places (in seat units, as lib/venues/layout.ts generates them) on one canvas, scaled to
// fit its width, with general-admission areas as tinted boxes under them. Points are batched by
// colour, so even a stadium costs a few fill calls.

export type SeatPoints = { xs: ArrayLike<number>; ys: ArrayLike<number>; colors: ArrayLike<string> };
export type PreviewArea = { x: number; y: number; width: number; height: number; color: string; name: string };

type CanvasProps = {
  points: SeatPoints;
  label: string;
  maxHeight?: number;
  testId?: string;
  areas?: PreviewArea[];
  stage?: boolean; // the stage above the seats; off when sections face different ways (stands around a pitch)
};

export function SeatCanvas({ points, label, maxHeight = 360, testId, areas = [], stage = true }: CanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.max(200, Math.floor(entry.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // As tall as the layout needs at this width (wide, shallow houses get a short canvas).
  const bounds = useMemo(() => boundsOf(points, areas), [points, areas]);
  const height = bounds
    ? Math.round(Math.min(maxHeight, Math.max(140, fitScale(bounds, width, maxHeight) * (bounds.maxY - bounds.minY + 1) + 2 * PAD + 18)))
    : 140;

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext("2d");
    if (!c || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = width * dpr;
    c.height = height * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    draw(ctx, points, areas, stage, width, height);
  }, [points, areas, stage, width, height]);

  return (
    <div ref={box} className="w-full overflow-hidden rounded-md border border-slate-200 bg-white">
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} data-seats={points.xs.length} style={{ width: "100%", height }} />
    </div>
  );
}

type Bounds = { minX: number; minY: number; maxX: number; maxY: number };
const PAD = 16;

function boundsOf(p: SeatPoints, areas: PreviewArea[]): Bounds | null {
  if (p.xs.length === 0 && areas.length === 0) return null;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (let i = 0; i < p.xs.length; i++) {
    minX = Math.min(minX, p.xs[i]);
    maxX = Math.max(maxX, p.xs[i]);
    minY = Math.min(minY, p.ys[i]);
    maxY = Math.max(maxY, p.ys[i]);
  }
  for (const a of areas) {
    minX = Math.min(minX, a.x);
    maxX = Math.max(maxX, a.x + a.width);
    minY = Math.min(minY, a.y);
    maxY = Math.max(maxY, a.y + a.height);
  }
  return { minX, minY, maxX, maxY };
}

function fitScale(b: Bounds, width: number, height: number) {
  return Math.min((width - 2 * PAD) / (b.maxX - b.minX + 1), (height - 2 * PAD - 18) / (b.maxY - b.minY + 1), 28);
}

function draw(ctx: CanvasRenderingContext2D, p: SeatPoints, areas: PreviewArea[], stage: boolean, width: number, height: number) {
  const b = boundsOf(p, areas);
  if (!b) {
    ctx.fillStyle = "#64748b";
    ctx.font = "14px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillText("No seats or areas to show", width / 2, height / 2);
    return;
  }
  const scale = fitScale(b, width, height);
  const ox = (width - (b.maxX - b.minX + 1) * scale) / 2 - b.minX * scale + scale / 2;
  const oy = PAD + 18 - b.minY * scale + scale / 2;
  if (stage) {
    // The stage is at the top: rows are generated front (row A) first, curving around it.
    ctx.fillStyle = "#e2e8f0";
    ctx.fillRect(width / 2 - 60, 2, 120, 14);
    ctx.fillStyle = "#334155";
    ctx.font = "600 10px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillText("STAGE", width / 2, 12);
  }
  for (const a of areas) {
    const x = a.x * scale + ox - scale / 2;
    const y = a.y * scale + oy - scale / 2;
    ctx.fillStyle = `${a.color}2e`;
    ctx.strokeStyle = a.color;
    ctx.lineWidth = 1.5;
    ctx.fillRect(x, y, a.width * scale, a.height * scale);
    ctx.strokeRect(x, y, a.width * scale, a.height * scale);
    ctx.fillStyle = "#0f172a";
    ctx.font = "600 11px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillText(a.name, x + (a.width * scale) / 2, y + (a.height * scale) / 2 + 4);
  }
  const size = Math.max(1, scale * 0.8);
  const byColor = new Map<string, number[]>();
  for (let i = 0; i < p.xs.length; i++) {
    let list = byColor.get(p.colors[i]);
    if (!list) byColor.set(p.colors[i], (list = []));
    list.push(i);
  }
  for (const [color, idx] of byColor) {
    ctx.fillStyle = color;
    ctx.beginPath();
    for (const i of idx) ctx.rect(p.xs[i] * scale + ox - size / 2, p.ys[i] * scale + oy - size / 2, size, size);
    ctx.fill();
  }
}
