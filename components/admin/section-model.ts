import type { MapArea, SectionLayout } from "@/db/schema";
import { sectionColor } from "@/lib/events/palette";
import { formatSeatRefs, parseSeatRefs } from "@/lib/venues/accessibility";

// The section editor's state: every field as the text the person typed, so a half-typed value
// is never lost or silently "corrected". It becomes JSON in one hidden form field; the server
// parses and validates it (lib/venues/schemas.ts, lib/events/schemas.ts) and reports errors by
// path (sections.0.layout.rows), which the editor shows beside the right input.

export type EditorSection = {
  key: string;
  kind: "ASSIGNED" | "GA";
  name: string;
  price: string;
  color: string;
  hidden: boolean; // offered only to holders of an access code naming it
  capacity: string;
  rows: string;
  seatsPerRow: string;
  rowLabels: "letters" | "numbers";
  numbering: "ltr" | "rtl";
  aisles: string;
  curve: string;
  offsetX: string;
  offsetY: string;
  rotation: string;
  wheelchair: string; // "A1, A2" as typed
  companion: string;
  // General admission: where the area is drawn on the map (all empty: not drawn).
  areaX: string;
  areaY: string;
  areaWidth: string;
  areaHeight: string;
};

let counter = 0;
const newKey = () => `s${Date.now().toString(36)}${(counter++).toString(36)}`;

export function blankSection(kind: "ASSIGNED" | "GA", index: number): EditorSection {
  return {
    key: newKey(),
    kind,
    name: kind === "GA" ? "Standing" : index === 0 ? "Stalls" : `Section ${index + 1}`,
    price: "",
    color: sectionColor(index),
    hidden: false,
    capacity: "100",
    rows: "10",
    seatsPerRow: "20",
    rowLabels: "letters",
    numbering: "ltr",
    aisles: "",
    curve: "0",
    offsetX: "0",
    offsetY: String(index * 12),
    rotation: "0",
    wheelchair: "",
    companion: "",
    areaX: "",
    areaY: "",
    areaWidth: "",
    areaHeight: "",
  };
}

type Stored = {
  kind?: string;
  name?: unknown;
  price?: unknown;
  priceMinor?: unknown;
  color?: unknown;
  hidden?: unknown;
  capacity?: unknown;
  layout?: Partial<Record<keyof SectionLayout, unknown>>;
  area?: Partial<Record<keyof MapArea, unknown>>;
};

const str = (v: unknown, fallback = "") => (v === undefined || v === null ? fallback : Array.isArray(v) ? v.join(", ") : String(v));

/** Editor state from a section as stored (layout object) or as submitted (the JSON echoed back). */
export function toEditor(s: Stored, index: number, priceText?: string): EditorSection {
  const l = s.layout ?? {};
  const blank = blankSection(s.kind === "GA" ? "GA" : "ASSIGNED", index);
  return {
    ...blank,
    name: str(s.name, blank.name),
    price: priceText ?? str(s.price, ""),
    color: str(s.color, blank.color),
    hidden: s.hidden === true,
    capacity: str(s.capacity, blank.capacity),
    rows: str(l.rows, blank.rows),
    seatsPerRow: str(l.seatsPerRow, blank.seatsPerRow),
    rowLabels: l.rowLabels === "numbers" ? "numbers" : "letters",
    numbering: l.numbering === "rtl" ? "rtl" : "ltr",
    aisles: str(l.aisles, ""),
    curve: str(l.curve, "0"),
    offsetX: str(l.offsetX, "0"),
    offsetY: str(l.offsetY, "0"),
    rotation: str(l.rotation, "0"),
    wheelchair: typeof l.wheelchair === "string" ? l.wheelchair : formatSeatRefs(Array.isArray(l.wheelchair) ? l.wheelchair.map(String) : []),
    companion: typeof l.companion === "string" ? l.companion : formatSeatRefs(Array.isArray(l.companion) ? l.companion.map(String) : []),
    areaX: str(s.area?.x),
    areaY: str(s.area?.y),
    areaWidth: str(s.area?.width),
    areaHeight: str(s.area?.height),
  };
}

export function parseEditorJson(json: string | undefined): EditorSection[] | null {
  if (!json) return null;
  try {
    const list = JSON.parse(json);
    return Array.isArray(list) ? list.map((s: Stored, i: number) => toEditor(s, i)) : null;
  } catch {
    return null;
  }
}

/** What the hidden `sections` field carries. */
export function toSubmitted(sections: EditorSection[], opts: { withPrice: boolean }) {
  return sections.map((s) => {
    const common = { kind: s.kind, name: s.name, ...(opts.withPrice ? { price: s.price, color: s.color, ...(s.hidden ? { hidden: true } : {}) } : {}) };
    if (s.kind === "GA")
      return { ...common, capacity: s.capacity, ...(hasArea(s) ? { area: { x: s.areaX, y: s.areaY, width: s.areaWidth, height: s.areaHeight } } : {}) };
    return {
      ...common,
      layout: {
        rows: s.rows,
        seatsPerRow: s.seatsPerRow,
        rowLabels: s.rowLabels,
        numbering: s.numbering,
        aisles: s.aisles.split(/[\s,;]+/).filter(Boolean),
        curve: s.curve === "" ? "0" : s.curve,
        offsetX: s.offsetX === "" ? "0" : s.offsetX,
        offsetY: s.offsetY === "" ? "0" : s.offsetY,
        rotation: s.rotation === "" ? "0" : s.rotation,
        ...(s.wheelchair.trim() ? { wheelchair: s.wheelchair } : {}),
        ...(s.companion.trim() ? { companion: s.companion } : {}),
      },
    };
  });
}

const hasArea = (s: EditorSection) => [s.areaX, s.areaY, s.areaWidth, s.areaHeight].some((v) => v.trim() !== "");

/** The area the preview draws for a GA section, or null while it has none (or a size of nothing). */
export function previewArea(s: EditorSection): MapArea | null {
  if (s.kind !== "GA" || !hasArea(s)) return null;
  const area = { x: num(s.areaX, -2000, 2000), y: num(s.areaY, -2000, 2000), width: num(s.areaWidth, 0, 2000), height: num(s.areaHeight, 0, 2000) };
  return area.width >= 1 && area.height >= 1 ? area : null;
}

const num = (t: string, min: number, max: number) => {
  const n = Number(t);
  return Number.isFinite(n) ? Math.min(Math.max(n, min), max) : min;
};

/** The layout the preview draws: the typed values clamped to what the server accepts. */
export function previewLayout(s: EditorSection): SectionLayout | null {
  if (s.kind !== "ASSIGNED") return null;
  const rows = Math.floor(num(s.rows, 0, 200));
  const seatsPerRow = Math.floor(num(s.seatsPerRow, 0, 500));
  if (rows < 1 || seatsPerRow < 1) return null;
  return {
    rows,
    seatsPerRow,
    rowLabels: s.rowLabels,
    numbering: s.numbering,
    aisles: s.aisles
      .split(/[\s,;]+/)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n >= 1),
    curve: num(s.curve, 0, 1),
    offsetX: num(s.offsetX, -2000, 2000),
    offsetY: num(s.offsetY, -2000, 2000),
    rotation: num(s.rotation, -360, 360),
    wheelchair: parseSeatRefs(s.wheelchair).refs,
    companion: parseSeatRefs(s.companion).refs,
  };
}
