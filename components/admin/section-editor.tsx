"use client";
import { useMemo, useState } from "react";
import type { FieldErrors } from "@/lib/errors";
import { seatAccessOf } from "@/lib/venues/accessibility";
import { generateSeats } from "@/lib/venues/layout";
import { blankSection, previewArea, previewLayout, toSubmitted, type EditorSection } from "./section-model";
import { SeatCanvas, type PreviewArea, type SeatPoints } from "./seat-canvas";

// Sections of a venue (templates) or of an event (with prices): assigned sections from the
// layout generator, general admission with a capacity. The map preview redraws as you type,
// from the same generateSeats() the server uses when it creates the event's seats.

type Props = { initial: EditorSection[]; withPrice: boolean; errors?: FieldErrors; currency?: string; previewLabel?: string };

// Which side of the section the stage (or the pitch) is on: the section's turn, clockwise.
const STAGE_SIDES = [
  ["0", "Above"],
  ["90", "To the right"],
  ["180", "Below"],
  ["270", "To the left"],
] as const;

const input = "block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 shadow-sm aria-[invalid=true]:border-red-600";

export function SectionEditor({ initial, withPrice, errors = {}, currency = "EUR", previewLabel = "Map preview" }: Props) {
  const [sections, setSections] = useState<EditorSection[]>(initial);
  const update = (i: number, patch: Partial<EditorSection>) => setSections((list) => list.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const remove = (i: number) => setSections((list) => list.filter((_, j) => j !== i));
  const add = (kind: "ASSIGNED" | "GA") => setSections((list) => [...list, blankSection(kind, list.length)]);

  const preview = useMemo(() => buildPreview(sections), [sections]);
  const listError = errors.sections?.[0];

  return (
    <div className="space-y-4">
      <input type="hidden" name="sections" value={JSON.stringify(toSubmitted(sections, { withPrice }))} />
      {listError && (
        <p className="text-sm text-red-700" role="alert">
          {listError}
        </p>
      )}
      {sections.map((s, i) => (
        <SectionFields
          key={s.key}
          index={i}
          section={s}
          withPrice={withPrice}
          currency={currency}
          errors={errors}
          onChange={(p) => update(i, p)}
          onRemove={sections.length > 1 ? () => remove(i) : undefined}
        />
      ))}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          onClick={() => add("ASSIGNED")}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
        >
          + Assigned seating section
        </button>
        <button
          type="button"
          onClick={() => add("GA")}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
        >
          + General admission section
        </button>
      </div>
      <section aria-label={previewLabel} className="space-y-2">
        <h3 className="text-sm font-semibold text-slate-800">{previewLabel}</h3>
        <SeatCanvas
          points={preview.points}
          areas={preview.areas}
          stage={preview.stage}
          label={`${previewLabel}: ${preview.seatCount} assigned seats`}
          testId="layout-preview"
        />
        <p aria-live="polite" className="text-sm text-slate-700" data-testid="preview-summary">
          {preview.seatCount.toLocaleString("en")} assigned seats
          {preview.ga.length > 0 && ` · standing: ${preview.ga.map((g) => `${g.name} (${g.capacity})`).join(", ")}`}
          {" · "}total {preview.total.toLocaleString("en")} places
        </p>
      </section>
    </div>
  );
}

type Preview = { points: SeatPoints; areas: PreviewArea[]; stage: boolean; seatCount: number; ga: { name: string; capacity: number }[]; total: number };

function buildPreview(sections: EditorSection[]): Preview {
  const xs: number[] = [];
  const ys: number[] = [];
  const colors: string[] = [];
  const ga: { name: string; capacity: number }[] = [];
  const areas: PreviewArea[] = [];
  let stage = true;
  for (const s of sections) {
    const layout = previewLayout(s);
    const area = previewArea(s);
    if (area) areas.push({ ...area, name: s.name || "Standing", color: /^#[0-9a-f]{6}$/i.test(s.color) ? s.color : "#4f46e5" });
    // The stage is drawn above the seats only while every section faces it there.
    if (layout && (((layout.rotation ?? 0) % 360) + 360) % 360 !== 0) stage = false;
    if (layout && xs.length + layout.rows * layout.seatsPerRow <= 120_000) {
      const accessOf = seatAccessOf(layout);
      for (const seat of generateSeats(layout)) {
        xs.push(seat.x);
        ys.push(seat.y);
        // Wheelchair spaces and companion seats stand out in the preview.
        const access = accessOf(seat);
        colors.push(access === "WHEELCHAIR" ? "#0f172a" : access === "COMPANION" ? "#64748b" : /^#[0-9a-f]{6}$/i.test(s.color) ? s.color : "#4f46e5");
      }
    } else if (s.kind === "GA") {
      ga.push({ name: s.name || "Standing", capacity: Math.max(0, Math.floor(Number(s.capacity)) || 0) });
    }
  }
  return { points: { xs, ys, colors }, areas, stage, seatCount: xs.length, ga, total: xs.length + ga.reduce((n, g) => n + g.capacity, 0) };
}

type FieldsProps = {
  index: number;
  section: EditorSection;
  withPrice: boolean;
  currency: string;
  errors: FieldErrors;
  onChange: (p: Partial<EditorSection>) => void;
  onRemove?: () => void;
};

function SectionFields({ index, section: s, withPrice, currency, errors, onChange, onRemove }: FieldsProps) {
  const id = (f: string) => `${s.key}-${f}`;
  const err = (path: string) => errors[`sections.${index}.${path}`]?.[0];
  const field = (label: string, f: string, path: string, control: React.ReactNode, className = "") => {
    const message = err(path);
    return (
      <div className={`space-y-1 ${className}`}>
        <label htmlFor={id(f)} className="block text-xs font-medium text-slate-700">
          {label}
        </label>
        {control}
        <p id={`${id(f)}-error`} aria-live="polite" className="text-xs text-red-700">
          {message}
        </p>
      </div>
    );
  };
  const text = (f: Exclude<keyof EditorSection, "hidden">, path: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <input
      id={id(f)}
      className={input}
      value={s[f]}
      aria-invalid={err(path) ? true : undefined}
      aria-describedby={`${id(f)}-error`}
      onChange={(e) => onChange({ [f]: e.target.value } as Partial<EditorSection>)}
      {...extra}
    />
  );

  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4" aria-label={`Section ${index + 1}`}>
      <legend className="px-1 text-sm font-semibold text-slate-800">Section {index + 1}</legend>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {field("Name", "name", "name", text("name", "name", { maxLength: 80 }), "col-span-2")}
        {field(
          "Kind",
          "kind",
          "kind",
          <select id={id("kind")} className={input} value={s.kind} onChange={(e) => onChange({ kind: e.target.value as EditorSection["kind"] })}>
            <option value="ASSIGNED">Assigned seats</option>
            <option value="GA">General admission</option>
          </select>,
        )}
        {withPrice && field(`Price (${currency})`, "price", "priceMinor", text("price", "priceMinor", { inputMode: "decimal", placeholder: "25.00" }))}
        {withPrice &&
          field(
            "Colour",
            "color",
            "color",
            <input
              id={id("color")}
              type="color"
              className="h-9 w-full rounded-md border border-slate-300"
              value={s.color}
              onChange={(e) => onChange({ color: e.target.value })}
            />,
          )}
        {withPrice && (
          // docs/promo-codes.md, "Hidden sections": offered only to customers with an access code naming it.
          <div className="col-span-2 flex items-center gap-2 self-center md:col-span-4">
            <input id={id("hidden")} type="checkbox" checked={s.hidden} onChange={(e) => onChange({ hidden: e.target.checked })} />
            <label htmlFor={id("hidden")} className="text-sm text-slate-800">
              Hidden: only customers with an access code for this section see it
            </label>
          </div>
        )}
        {s.kind === "GA" ? (
          <>
            {field("Capacity", "capacity", "capacity", text("capacity", "capacity", { inputMode: "numeric" }))}
            {field("Map X", "areaX", "area.x", text("areaX", "area.x", { inputMode: "numeric", placeholder: "not on the map" }))}
            {field("Map Y", "areaY", "area.y", text("areaY", "area.y", { inputMode: "numeric" }))}
            {field("Width", "areaWidth", "area.width", text("areaWidth", "area.width", { inputMode: "numeric" }))}
            {field("Depth", "areaHeight", "area.height", text("areaHeight", "area.height", { inputMode: "numeric" }))}
          </>
        ) : (
          <>
            {field("Rows", "rows", "layout.rows", text("rows", "layout.rows", { inputMode: "numeric" }))}
            {field("Seats per row", "seatsPerRow", "layout.seatsPerRow", text("seatsPerRow", "layout.seatsPerRow", { inputMode: "numeric" }))}
            {field(
              "Row labels",
              "rowLabels",
              "layout.rowLabels",
              <select
                id={id("rowLabels")}
                className={input}
                value={s.rowLabels}
                onChange={(e) => onChange({ rowLabels: e.target.value as EditorSection["rowLabels"] })}
              >
                <option value="letters">A, B, C…</option>
                <option value="numbers">1, 2, 3…</option>
              </select>,
            )}
            {field(
              "Seat numbering",
              "numbering",
              "layout.numbering",
              <select
                id={id("numbering")}
                className={input}
                value={s.numbering}
                onChange={(e) => onChange({ numbering: e.target.value as EditorSection["numbering"] })}
              >
                <option value="ltr">Left to right</option>
                <option value="rtl">Right to left</option>
              </select>,
            )}
            {field("Aisles after seats", "aisles", "layout.aisles", text("aisles", "layout.aisles", { placeholder: "e.g. 5, 15" }))}
            {field("Curve (0–1)", "curve", "layout.curve", text("curve", "layout.curve", { inputMode: "decimal" }))}
            {field("Offset X", "offsetX", "layout.offsetX", text("offsetX", "layout.offsetX", { inputMode: "numeric" }))}
            {field("Offset Y", "offsetY", "layout.offsetY", text("offsetY", "layout.offsetY", { inputMode: "numeric" }))}
            {field(
              "Stage is",
              "rotation",
              "layout.rotation",
              <select id={id("rotation")} className={input} value={s.rotation} onChange={(e) => onChange({ rotation: e.target.value })}>
                {STAGE_SIDES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
                {!STAGE_SIDES.some(([value]) => value === s.rotation) && <option value={s.rotation}>Turned {s.rotation}°</option>}
              </select>,
            )}
            {field(
              "Wheelchair spaces",
              "wheelchair",
              "layout.wheelchair",
              text("wheelchair", "layout.wheelchair", { placeholder: "e.g. A1, A2, K:5-8" }),
              "col-span-2",
            )}
            {field("Companion seats", "companion", "layout.companion", text("companion", "layout.companion", { placeholder: "e.g. A3, K9" }), "col-span-2")}
          </>
        )}
      </div>
      {Object.keys(errors).some((k) => k.startsWith(`sections.${index}.layout.aisles.`)) && (
        <p className="mt-1 text-xs text-red-700">Aisles: use seat numbers separated by commas.</p>
      )}
      {onRemove && (
        <button type="button" onClick={onRemove} className="mt-2 text-sm font-medium text-red-700 underline">
          Remove section {index + 1}
        </button>
      )}
    </fieldset>
  );
}
