"use client";
import { useActionState, useCallback, useEffect, useMemo, useState } from "react";
import { SeatMap } from "@/components/seatmap/seat-map";
import { StateLegend } from "@/components/seatmap/legend";
import { buttonStyles } from "@/components/button-styles";
import type { ActionState } from "@/lib/actions";
import { decodeStates } from "@/lib/seatmap/bitmap";
import { expandLayout, type CompactLayout } from "@/lib/seatmap/compact";
import { buildSeatModel, seatLabel } from "@/lib/seatmap/model";
import { SEAT_ACCESS_COMPANION, SEAT_ACCESS_WHEELCHAIR, SEAT_BLOCKED, SEAT_HELD, SEAT_SOLD } from "@/lib/seatmap/types";

// The organizer's house: click seats on the map (any state), then keep them off sale with a
// reason or put them back on sale. States come from the server after every change, straight
// from PostgreSQL; a seat someone holds or bought is reported back and left alone.

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;
type GaSection = { id: string; name: string; capacity: number; blocked: number; free: number };

type Props = {
  eventId: string;
  layout: CompactLayout;
  seats: { count: number; data: string };
  gaSections: GaSection[];
  reasons: readonly string[];
  seatsAction: Action;
  gaAction: Action;
};

const none = new Set<number>();

export function HouseSeats({ eventId, layout: compact, seats, gaSections, reasons, seatsAction, gaAction }: Props) {
  const layout = useMemo(() => expandLayout(compact), [compact]);
  const model = useMemo(() => buildSeatModel(layout), [layout]);
  const states = useMemo(() => decodeStates(seats.data, seats.count), [seats]);
  const mine = useMemo(() => new Uint8Array(model.count), [model]);
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set());
  const [focus, setFocus] = useState<number | null>(null);
  const [state, formAction, pending] = useActionState(seatsAction, null);

  useEffect(() => {
    if (state?.ok) setSelected(new Set());
  }, [state]);

  const describe = useCallback(
    (seq: number) => {
      const s = states[seq];
      const what = s === SEAT_SOLD ? "sold" : s === SEAT_HELD ? "held by a customer" : s === SEAT_BLOCKED ? "off sale" : "on sale";
      const access =
        layout.access[seq] === SEAT_ACCESS_WHEELCHAIR ? ", wheelchair space" : layout.access[seq] === SEAT_ACCESS_COMPANION ? ", companion seat" : "";
      return `${seatLabel(model, seq)}${access} — ${what}${selected.has(seq) ? " — selected" : ""}`;
    },
    [states, layout, model, selected],
  );
  const toggle = (seq: number) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });
  const blockedSeqs = useMemo(() => Array.from(states.keys()).filter((seq) => states[seq] === SEAT_BLOCKED && model.rowOf[seq] >= 0), [states, model]);
  const hasAccessible = layout.access.some((a) => a !== 0);

  return (
    <div className="space-y-6">
      {model.rows.length > 0 && (
        <section aria-labelledby="house-map-h" className="space-y-3">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="house-map-h" className="text-lg font-semibold">
              Seats
            </h2>
            <StateLegend accessible={hasAccessible} />
          </div>
          <p className="text-sm text-slate-700">Click seats to select them (any state), then keep them off sale or put them back on sale.</p>
          <SeatMap
            model={model}
            states={states}
            mine={mine}
            selected={selected}
            flagged={none}
            focus={focus}
            onFocusChange={setFocus}
            onToggle={toggle}
            describe={describe}
          />
          <form action={formAction} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="house-seats-form">
            <input type="hidden" name="eventId" value={eventId} />
            {[...selected].map((seq) => (
              <input key={seq} type="hidden" name="seatIds[]" value={layout.ids[seq]} />
            ))}
            <p className="w-full text-sm text-slate-800" aria-live="polite" data-testid="house-selection">
              {selected.size === 0
                ? "No seats selected."
                : `${selected.size} selected: ${[...selected]
                    .slice(0, 8)
                    .map((s) => seatLabel(model, s))
                    .join("; ")}${selected.size > 8 ? "; …" : ""}`}
            </p>
            <div className="space-y-1">
              <label htmlFor="block-reason" className="block text-sm font-medium text-slate-800">
                Reason
              </label>
              <select id="block-reason" name="reason" className="block rounded-md border border-slate-300 bg-white px-3 py-2" defaultValue={reasons[0]}>
                {reasons.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </div>
            <button type="submit" name="intent" value="block" disabled={pending || selected.size === 0} className={buttonStyles("primary")}>
              Keep off sale
            </button>
            <button type="submit" name="intent" value="unblock" disabled={pending || selected.size === 0} className={buttonStyles("secondary")}>
              Put back on sale
            </button>
            <button type="button" onClick={() => setSelected(new Set(blockedSeqs))} disabled={blockedSeqs.length === 0} className={buttonStyles("secondary")}>
              Select every seat off sale
            </button>
            <button type="button" onClick={() => setSelected(new Set())} disabled={selected.size === 0} className={buttonStyles("secondary")}>
              Clear selection
            </button>
          </form>
          <Outcome state={state} />
        </section>
      )}
      {gaSections.map((s) => (
        <GaBlockForm key={s.id} eventId={eventId} section={s} reasons={reasons} action={gaAction} />
      ))}
    </div>
  );
}

function GaBlockForm({ eventId, section, reasons, action }: { eventId: string; section: GaSection; reasons: readonly string[]; action: Action }) {
  const [state, formAction, pending] = useActionState(action, null);
  const id = `ga-${section.id}`;
  return (
    <section aria-labelledby={`${id}-h`} className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={`${id}-h`} className="text-lg font-semibold">
        {section.name} <span className="text-sm font-normal text-slate-600">(standing)</span>
      </h2>
      <p className="text-sm text-slate-700" data-testid={`ga-${section.name}-counts`}>
        {section.blocked} of {section.capacity} places off sale · {section.free} free to sell
      </p>
      <form action={formAction} className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="eventId" value={eventId} />
        <input type="hidden" name="sectionId" value={section.id} />
        <div className="space-y-1">
          <label htmlFor={`${id}-q`} className="block text-sm font-medium text-slate-800">
            Places
          </label>
          <input id={`${id}-q`} name="quantity" type="number" min={1} defaultValue={1} className="block w-28 rounded-md border border-slate-300 px-3 py-2" />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-r`} className="block text-sm font-medium text-slate-800">
            Reason
          </label>
          <select id={`${id}-r`} name="reason" defaultValue={reasons[0]} className="block rounded-md border border-slate-300 bg-white px-3 py-2">
            {reasons.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </div>
        <button type="submit" name="intent" value="block" disabled={pending} className={buttonStyles("primary")}>
          Keep off sale
        </button>
        <button type="submit" name="intent" value="unblock" disabled={pending || section.blocked === 0} className={buttonStyles("secondary")}>
          Put back on sale
        </button>
      </form>
      <Outcome state={state} />
    </section>
  );
}

function Outcome({ state }: { state: ActionState }) {
  if (!state) return <p aria-live="polite" className="sr-only" />;
  return (
    <p
      aria-live="polite"
      role={state.ok ? "status" : "alert"}
      data-testid="house-outcome"
      className={`rounded-md border px-3 py-2 text-sm ${state.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-800"}`}
    >
      {state.ok ? state.message : [state.formError, ...Object.values(state.fieldErrors ?? {}).flat()].filter(Boolean).join(" ")}
    </p>
  );
}
