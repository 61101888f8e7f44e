"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { areaAt } from "@/lib/seatmap/areas";
import { isNavKey, moveFocus } from "@/lib/seatmap/keyboard";
import { seatAt, type SeatModel } from "@/lib/seatmap/model";
import { drawSeatMap, type View } from "./draw";
import { MapButton } from "./map-button";
import { useGestures } from "./use-gestures";
import { boxStyle, fitView, viewShowing, zoomView } from "./view";

// The interactive seat map: one <canvas>, not one element per seat. Wheel, buttons, drag and
// pinch zoom and pan (use-gestures.ts); click or tap toggles a seat; with keyboard focus the
// arrow keys move a focus cursor seat by seat and Enter or Space toggles it. The focused seat
// is announced through a polite live region. A click on a general-admission area (a standing
// pitch) hands its section to `onAreaSelect`, which opens that section's quantity picker. The first draw is timed with performance marks
// ("seatmap:first-draw") so tests can read what the visitor waited for.

type Props = {
  model: SeatModel;
  states: Uint8Array;
  mine: Uint8Array;
  selected: ReadonlySet<number>;
  flagged: ReadonlySet<number>;
  focus: number | null;
  onFocusChange: (seq: number | null) => void;
  onToggle: (seq: number) => void;
  describe: (seq: number) => string;
  focusRequest?: { seq: number; n: number } | null; // bring a seat into view (best available)
  accessibleOnly?: boolean; // fade seats that are neither wheelchair spaces nor companion seats
  onAreaSelect?: (sectionIndex: number) => void;
};

// Tests (and curious developers) can ask where a seat is drawn and what the view is.
declare global {
  interface Window {
    __tesseraSeatMap?: { point: (seq: number) => { x: number; y: number } | null; view: () => View | null; firstDrawMs?: number };
  }
}

export function SeatMap(props: Props) {
  const { model } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const viewRef = useRef<View | null>(null);
  const sizeRef = useRef({ width: 0, height: 0, dpr: 1 });
  const propsRef = useRef(props);
  propsRef.current = props;
  const frame = useRef<number | null>(null);
  const interacted = useRef(false);
  const [keyboardActive, setKeyboardActive] = useState(false);
  const keyboardRef = useRef(false);
  keyboardRef.current = keyboardActive;
  const [hover, setHover] = useState<number | null>(null);
  const [hoverArea, setHoverArea] = useState<number | null>(null);

  const fit = useCallback(() => fitView(model.bounds, sizeRef.current), [model]);

  const drawNow = useCallback(() => {
    const canvas = canvasRef.current;
    const view = viewRef.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !view || !ctx) return;
    const p = propsRef.current;
    drawSeatMap(ctx, {
      model: p.model,
      states: p.states,
      mine: p.mine,
      selected: p.selected,
      flagged: p.flagged,
      focus: p.focus,
      showFocus: keyboardRef.current,
      accessibleOnly: p.accessibleOnly,
      view,
      ...sizeRef.current,
    });
  }, []);

  const scheduleDraw = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      drawNow();
    });
  }, [drawNow]);

  const zoomAt = useCallback(
    (factor: number, sx: number, sy: number) => {
      if (!viewRef.current) return;
      viewRef.current = zoomView(viewRef.current, factor, sx, sy, fit().scale);
      interacted.current = true;
      scheduleDraw();
    },
    [fit, scheduleDraw],
  );

  const zoomCentre = (factor: number) => zoomAt(factor, sizeRef.current.width / 2, sizeRef.current.height / 2);
  const resetView = () => {
    viewRef.current = fit();
    interacted.current = false;
    scheduleDraw();
  };

  const bringIntoView = useCallback(
    (seq: number, minSeatPx = 14) => {
      if (!viewRef.current || Number.isNaN(model.xs[seq])) return;
      viewRef.current = viewShowing(viewRef.current, model.xs[seq], model.ys[seq], sizeRef.current, minSeatPx);
      interacted.current = true;
      scheduleDraw();
    },
    [model, scheduleDraw],
  );

  // Size the canvas to its box (device pixels), fit the venue, and draw the first frame at once.
  useEffect(() => {
    const canvas = canvasRef.current!;
    const resize = () => {
      const rect = canvas.getBoundingClientRect();
      const dpr = Math.min(window.devicePixelRatio || 1, 2);
      const prev = sizeRef.current;
      sizeRef.current = { width: rect.width, height: rect.height, dpr };
      canvas.width = Math.round(rect.width * dpr);
      canvas.height = Math.round(rect.height * dpr);
      if (!viewRef.current || !interacted.current) viewRef.current = fit();
      else if (viewRef.current) {
        viewRef.current = {
          ...viewRef.current,
          ox: viewRef.current.ox + (rect.width - prev.width) / 2,
          oy: viewRef.current.oy + (rect.height - prev.height) / 2,
        };
      }
    };
    resize();
    performance.mark("seatmap:draw-start");
    drawNow();
    performance.mark("seatmap:first-draw");
    const m = performance.measure("seatmap:first-draw-duration", "seatmap:draw-start", "seatmap:first-draw");
    window.__tesseraSeatMap = {
      point: (seq) => {
        const v = viewRef.current;
        if (!v || Number.isNaN(model.xs[seq])) return null;
        const rect = canvas.getBoundingClientRect();
        return { x: rect.left + model.xs[seq] * v.scale + v.ox, y: rect.top + model.ys[seq] * v.scale + v.oy };
      },
      view: () => viewRef.current,
      firstDrawMs: m.duration,
    };
    const observer = new ResizeObserver(() => {
      resize();
      drawNow();
    });
    observer.observe(canvas);
    return () => {
      observer.disconnect();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [model, fit, drawNow]);

  useEffect(scheduleDraw, [props.states, props.mine, props.selected, props.flagged, props.focus, props.accessibleOnly, keyboardActive, scheduleDraw]);

  useEffect(() => {
    if (props.focusRequest) bringIntoView(props.focusRequest.seq, 10);
  }, [props.focusRequest, bringIntoView]);

  const gestures = useGestures(canvasRef, {
    pan: (dx, dy) => {
      if (!viewRef.current) return;
      viewRef.current = { ...viewRef.current, ox: viewRef.current.ox + dx, oy: viewRef.current.oy + dy };
      interacted.current = true;
      scheduleDraw();
    },
    zoom: zoomAt,
    tap: (x, y) => {
      const seq = hitTest(x, y);
      if (seq === null) {
        const area = areaHit(x, y);
        if (area !== null) props.onAreaSelect?.(area);
        return;
      }
      setKeyboardActive(false);
      props.onFocusChange(seq);
      props.onToggle(seq);
    },
    hover: (x, y) => {
      const seq = hitTest(x, y);
      if (seq !== hover) setHover(seq);
      const area = seq === null ? areaHit(x, y) : null;
      if (area !== hoverArea) setHoverArea(area);
    },
  });

  const areaHit = (sx: number, sy: number) => {
    const view = viewRef.current;
    if (!view || !props.onAreaSelect) return null;
    return areaAt(model, (sx - view.ox) / view.scale, (sy - view.oy) / view.scale);
  };

  const hitTest = (sx: number, sy: number) => {
    const view = viewRef.current;
    if (!view) return null;
    return seatAt(model, (sx - view.ox) / view.scale, (sy - view.oy) / view.scale);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLCanvasElement>) => {
    if (isNavKey(e.key)) {
      e.preventDefault();
      setKeyboardActive(true);
      const next = moveFocus(model, props.focus, e.key);
      props.onFocusChange(next);
      if (next !== null) bringIntoView(next);
    } else if ((e.key === "Enter" || e.key === " ") && props.focus !== null) {
      e.preventDefault();
      setKeyboardActive(true);
      props.onToggle(props.focus);
    } else if (e.key === "+" || e.key === "=") {
      e.preventDefault();
      zoomCentre(1.4);
    } else if (e.key === "-" || e.key === "_") {
      e.preventDefault();
      zoomCentre(1 / 1.4);
    } else if (e.key === "0") {
      e.preventDefault();
      resetView();
    }
  };

  const onFocus = (e: React.FocusEvent<HTMLCanvasElement>) => {
    // A mouse click focuses the canvas too; only keyboard focus shows the cursor.
    if (!e.currentTarget.matches(":focus-visible")) return;
    setKeyboardActive(true);
    if (props.focus === null) props.onFocusChange(moveFocus(model, null, "ArrowRight"));
  };

  const caption = hover ?? (keyboardActive ? props.focus : null);
  return (
    <div className="space-y-2">
      <div className="relative overflow-hidden rounded-lg border border-slate-200 bg-white">
        <canvas
          ref={canvasRef}
          data-testid="seat-map"
          tabIndex={0}
          role="application"
          aria-roledescription="seat map"
          aria-label="Seat map. Arrow keys move between seats, Enter or Space selects, plus and minus zoom, 0 resets the view."
          aria-describedby="seat-map-focus"
          style={boxStyle(model.bounds)}
          className={`block min-h-[260px] w-full touch-none select-none ${hover !== null || hoverArea !== null ? "cursor-pointer" : "cursor-grab"}`}
          {...gestures}
          onPointerLeave={() => {
            setHover(null);
            setHoverArea(null);
          }}
          onKeyDown={onKeyDown}
          onFocus={onFocus}
          onBlur={() => setKeyboardActive(false)}
        >
          Your browser cannot draw the seat map. Use the seat list below instead.
        </canvas>
        <div className="absolute right-2 top-2 flex flex-col gap-1">
          <MapButton label="Zoom in" onClick={() => zoomCentre(1.5)}>
            +
          </MapButton>
          <MapButton label="Zoom out" onClick={() => zoomCentre(1 / 1.5)}>
            −
          </MapButton>
          <MapButton label="Show the whole venue" onClick={resetView}>
            ⤢
          </MapButton>
        </div>
      </div>
      <p id="seat-map-focus" aria-live="polite" className="min-h-5 text-sm text-slate-700" data-testid="seat-map-caption">
        {caption !== null
          ? props.describe(caption)
          : hoverArea !== null
            ? `${model.layout.sections[hoverArea].name}: general admission. Click to choose how many tickets.`
            : "Tip: drag to move, scroll or pinch to zoom, or tab into the map and use the arrow keys."}
      </p>
    </div>
  );
}
