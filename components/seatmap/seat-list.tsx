"use client";
import { useCallback, useId, useMemo, useState } from "react";
import type { SeatModel } from "@/lib/seatmap/model";
import { SEAT_ACCESS_COMPANION, SEAT_ACCESS_WHEELCHAIR, SEAT_AVAILABLE, SEAT_BLOCKED, SEAT_HELD } from "@/lib/seatmap/types";
import { formatMoney } from "@/lib/money";

// The seat map as a form, for screen readers and anyone who prefers lists: choose a section,
// then a row, then tick seats. Only one row's seats are in the page at a time, so even a
// stadium stays light. With `accessibleOnly`, only wheelchair spaces and companion seats are
// listed (sections and rows without any are left out).

type Props = {
  model: SeatModel;
  states: Uint8Array;
  mine: Uint8Array;
  selected: ReadonlySet<number>;
  currency: string;
  onToggle: (seq: number) => void;
  accessibleOnly?: boolean;
};

const ACCESS_NOTE: Record<number, string> = { [SEAT_ACCESS_WHEELCHAIR]: "wheelchair space", [SEAT_ACCESS_COMPANION]: "companion seat" };

export function SeatList({ model, states, mine, selected, currency, onToggle, accessibleOnly = false }: Props) {
  const id = useId();
  const access = useMemo(() => model.layout.access ?? [], [model]);
  const shown = useCallback((seq: number) => !accessibleOnly || (access[seq] ?? 0) !== 0, [accessibleOnly, access]);
  const rowsOf = useCallback((si: number) => (model.sectionRows[si] ?? []).filter((ri) => model.rows[ri].seqs.some(shown)), [model, shown]);
  const sections = useMemo(() => model.layout.sections.map((s, i) => ({ ...s, index: i })).filter((s) => rowsOf(s.index).length > 0), [model, rowsOf]);
  const [pickedSection, setSectionIndex] = useState(sections[0]?.index ?? 0);
  const sectionIndex = sections.some((s) => s.index === pickedSection) ? pickedSection : (sections[0]?.index ?? 0);
  const rows = rowsOf(sectionIndex);
  const [pickedRow, setRowIndex] = useState(rows[0] ?? 0);
  const rowIndex = rows.includes(pickedRow) ? pickedRow : (rows[0] ?? 0);
  const row = rows.length ? model.rows[rowIndex] : undefined;
  const section = model.layout.sections[sectionIndex];
  const freeIn = (ri: number) => model.rows[ri].seqs.filter((s) => shown(s) && states[s] === SEAT_AVAILABLE).length;

  return (
    <details className="rounded-lg border border-slate-200 bg-white" data-testid="seat-list">
      <summary className="cursor-pointer px-4 py-3 text-sm font-semibold text-slate-900">Choose seats from a list instead</summary>
      <div className="space-y-4 border-t border-slate-200 p-4">
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="space-y-1">
            <label htmlFor={`${id}-section`} className="block text-sm font-medium text-slate-800">
              Section
            </label>
            <select
              id={`${id}-section`}
              value={sectionIndex}
              onChange={(e) => {
                const si = Number(e.target.value);
                setSectionIndex(si);
                setRowIndex(rowsOf(si)[0] ?? 0);
              }}
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2"
            >
              {sections.map((s) => (
                <option key={s.id} value={s.index}>
                  {s.name} — {formatMoney(s.priceMinor, currency)}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-row`} className="block text-sm font-medium text-slate-800">
              Row
            </label>
            <select
              id={`${id}-row`}
              value={rowIndex}
              onChange={(e) => setRowIndex(Number(e.target.value))}
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2"
            >
              {rows.map((ri) => (
                <option key={ri} value={ri}>
                  Row {model.rows[ri].label} ({freeIn(ri)} free)
                </option>
              ))}
            </select>
          </div>
        </div>
        {row && (
          <fieldset>
            <legend className="mb-2 text-sm font-medium text-slate-800">
              {section?.name}, row {row.label}: tick the seats you want
            </legend>
            <ul className="grid grid-cols-3 gap-2 sm:grid-cols-5 md:grid-cols-6">
              {row.seqs.filter(shown).map((seq) => {
                const isMine = mine[seq] === 1;
                const free = states[seq] === SEAT_AVAILABLE;
                const state = isMine ? "in your hold" : free ? "" : states[seq] === SEAT_HELD ? "held" : states[seq] === SEAT_BLOCKED ? "not on sale" : "sold";
                const note = [ACCESS_NOTE[access[seq] ?? 0], state].filter(Boolean).join(", ");
                return (
                  <li key={seq}>
                    <label
                      className={`flex items-center gap-2 rounded border px-2 py-1.5 text-sm ${free || isMine ? "border-slate-300" : "border-slate-200 bg-slate-100 text-slate-600"}`}
                    >
                      <input
                        type="checkbox"
                        checked={selected.has(seq) || isMine}
                        disabled={isMine || (!free && !selected.has(seq))}
                        onChange={() => onToggle(seq)}
                        className="h-4 w-4 accent-brand-600"
                      />
                      <span>
                        Seat {model.layout.numbers[seq]}
                        {note && <span className="block text-xs">{note}</span>}
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        )}
      </div>
    </details>
  );
}
