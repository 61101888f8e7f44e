"use client";
import { useId, useState } from "react";
import type { SeatModel } from "@/lib/seatmap/model";
import type { SnapshotSection } from "@/lib/seatmap/types";
import { formatMoney } from "@/lib/money";

// "Best available": the visitor names a section and a number of seats; the page picks that many
// seats side by side (lib/seatmap/best-available.ts) and selects them for review. Where the
// venue has wheelchair spaces, the visitor says whether to include them: by default they are
// skipped, so they stay free for the people who need them.

export type SeatKind = "standard" | "accessible" | "any";

export function BestAvailableForm({
  model,
  sections,
  currency,
  max,
  accessible = false,
  onFind,
}: {
  model: SeatModel;
  sections: SnapshotSection[];
  currency: string;
  max: number;
  accessible?: boolean;
  onFind: (sectionIndex: number, n: number, kind: SeatKind) => void;
}) {
  const id = useId();
  const choices = model.layout.sections
    .map((s, index) => ({ ...s, index, available: sections.find((x) => x.id === s.id)?.available ?? 0 }))
    .filter((s) => s.kind === "ASSIGNED");
  const [sectionIndex, setSectionIndex] = useState(() => (choices.find((c) => c.available > 0) ?? choices[0])?.index ?? 0);
  const [n, setN] = useState(Math.min(2, Math.max(1, max)));
  const [kind, setKind] = useState<SeatKind>("standard");
  if (choices.length === 0) return null;
  return (
    <form
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        onFind(sectionIndex, n, accessible ? kind : "any");
      }}
      aria-labelledby={`${id}-title`}
    >
      <h3 id={`${id}-title`} className="w-full text-sm font-semibold text-slate-900">
        Best available seats together
      </h3>
      <div className="min-w-40 flex-1 space-y-1">
        <label htmlFor={`${id}-section`} className="block text-sm font-medium text-slate-800">
          Section
        </label>
        <select
          id={`${id}-section`}
          value={sectionIndex}
          onChange={(e) => setSectionIndex(Number(e.target.value))}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2"
        >
          {choices.map((c) => (
            <option key={c.id} value={c.index} disabled={c.available === 0}>
              {c.name} — {formatMoney(c.priceMinor, currency)}
              {c.available === 0 ? " (sold out)" : ""}
            </option>
          ))}
        </select>
      </div>
      <div className="w-28 space-y-1">
        <label htmlFor={`${id}-n`} className="block text-sm font-medium text-slate-800">
          Seats
        </label>
        <select
          id={`${id}-n`}
          value={n}
          onChange={(e) => setN(Number(e.target.value))}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2"
        >
          {Array.from({ length: Math.max(1, max) }, (_, i) => i + 1).map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </div>
      {accessible && (
        <div className="min-w-48 space-y-1">
          <label htmlFor={`${id}-kind`} className="block text-sm font-medium text-slate-800">
            Seat type
          </label>
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(e) => setKind(e.target.value as SeatKind)}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2"
          >
            <option value="standard">Standard seats (skip wheelchair spaces)</option>
            <option value="accessible">Wheelchair spaces and companion seats</option>
            <option value="any">Any seat</option>
          </select>
        </div>
      )}
      <button
        type="submit"
        disabled={max < 1}
        className="rounded-md border border-brand-600 bg-white px-4 py-2 text-sm font-semibold text-brand-700 hover:bg-brand-50 disabled:opacity-60"
      >
        Find seats
      </button>
    </form>
  );
}
