"use client";
import { useEffect, useRef, type RefObject } from "react";

// Pointer gestures on the seat map canvas: one pointer drags (or taps/clicks if it barely
// moved), two pointers pinch-zoom, the wheel zooms. Mouse, pen and touch alike (pointer events),
// with the canvas set to touch-action: none so the browser does not scroll or zoom the page.

const DRAG_THRESHOLD = 6;

type Handlers = {
  pan: (dx: number, dy: number) => void;
  zoom: (factor: number, x: number, y: number) => void;
  tap: (x: number, y: number) => void;
  hover: (x: number, y: number) => void;
};

export function useGestures(canvasRef: RefObject<HTMLCanvasElement | null>, handlers: Handlers) {
  const h = useRef(handlers);
  h.current = handlers;
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<{ moved: boolean; startX: number; startY: number; pinchDist?: number } | null>(null);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling meanwhile.
  useEffect(() => {
    const canvas = canvasRef.current!;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = canvas.getBoundingClientRect();
      h.current.zoom(Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
    };
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => canvas.removeEventListener("wheel", onWheel);
  }, [canvasRef]);

  const local = (e: React.PointerEvent) => {
    const rect = canvasRef.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0 && e.pointerType === "mouse") return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = local(e);
    pointers.current.set(e.pointerId, p);
    if (pointers.current.size === 1) gesture.current = { moved: false, startX: p.x, startY: p.y };
    else if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()];
      gesture.current = { moved: true, startX: p.x, startY: p.y, pinchDist: Math.hypot(a.x - b.x, a.y - b.y) };
    }
  };

  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const p = local(e);
    const prev = pointers.current.get(e.pointerId);
    if (!prev) {
      if (e.pointerType === "mouse") h.current.hover(p.x, p.y);
      return;
    }
    pointers.current.set(e.pointerId, p);
    const g = gesture.current;
    if (!g) return;
    if (pointers.current.size >= 2 && g.pinchDist) {
      const [a, b] = [...pointers.current.values()];
      const dist = Math.hypot(a.x - b.x, a.y - b.y);
      h.current.zoom(dist / g.pinchDist, (a.x + b.x) / 2, (a.y + b.y) / 2);
      g.pinchDist = dist;
      return;
    }
    if (!g.moved && Math.hypot(p.x - g.startX, p.y - g.startY) < DRAG_THRESHOLD) return;
    g.moved = true;
    h.current.pan(p.x - prev.x, p.y - prev.y);
  };

  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const had = pointers.current.delete(e.pointerId);
    const g = gesture.current;
    if (pointers.current.size === 0) gesture.current = null;
    if (!had || !g || g.moved || e.type === "pointercancel") return;
    const p = local(e);
    h.current.tap(p.x, p.y);
  };

  return { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp };
}
