"use client";
import { useActionState, useCallback, useEffect, useMemo, useState } from "react";
import { buttonStyles } from "@/components/button-styles";
import { StateLegend } from "@/components/seatmap/legend";
import { SeatMap } from "@/components/seatmap/seat-map";
import type { ActionState } from "@/lib/actions";
import { formatMoney } from "@/lib/money";
import { decodeStates } from "@/lib/seatmap/bitmap";
import { expandLayout, type CompactLayout } from "@/lib/seatmap/compact";
import { buildSeatModel, seatLabel } from "@/lib/seatmap/model";
import { SEAT_BLOCKED, SEAT_HELD, SEAT_SOLD } from "@/lib/seatmap/types";

// The box office: click free seats (or house seats, when they are to be sold too), name the
// customer and the payment method, sell. States come from the server after every sale; a seat
// someone took meanwhile is named in the answer and nothing is sold. With ticket types, each
// selected seat may take its own type (default: the order's type, as the web checkout does).

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;
type GaSection = { id: string; name: string; free: number; priceMinor: number };
type Method = { value: string; label: string };

type Props = {
  eventId: string;
  currency: string;
  layout: CompactLayout;
  seats: { count: number; data: string };
  gaSections: GaSection[];
  methods: Method[];
  types?: Method[]; // ticket types (docs/box-office.md): value = type id, label = name and prices
  seatsAction: Action;
  gaAction: Action;
};

const none = new Set<number>();

export function BoxOffice({ eventId, currency, layout: compact, seats, gaSections, methods, types = [], seatsAction, gaAction }: Props) {
  const layout = useMemo(() => expandLayout(compact), [compact]);
  const model = useMemo(() => buildSeatModel(layout), [layout]);
  const states = useMemo(() => decodeStates(seats.data, seats.count), [seats]);
  const mine = useMemo(() => new Uint8Array(model.count), [model]);
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set());
  const [focus, setFocus] = useState<number | null>(null);
  const [state, formAction, pending] = useActionState(seatsAction, null);
  // Each seat's own type (by seq), kept across a refusal; cleared with the selection after a sale.
  const [seatTypes, setSeatTypes] = useState<ReadonlyMap<number, string>>(() => new Map());

  useEffect(() => {
    if (state?.ok) {
      setSelected(new Set());
      setSeatTypes(new Map());
    }
  }, [state]);

  const describe = useCallback(
    (seq: number) => {
      const s = states[seq];
      const what = s === SEAT_SOLD ? "sold" : s === SEAT_HELD ? "held by a customer" : s === SEAT_BLOCKED ? "house seat, off sale" : "on sale";
      return `${seatLabel(model, seq)} — ${what}${selected.has(seq) ? " — selected" : ""}`;
    },
    [states, model, selected],
  );
  const toggle = (seq: number) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });
  const chosenBlocked = [...selected].some((seq) => states[seq] === SEAT_BLOCKED);

  return (
    <div className="space-y-6">
      {model.rows.length > 0 && (
        <section aria-labelledby="bo-map-h" className="space-y-3">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="bo-map-h" className="text-lg font-semibold">
              Seats
            </h2>
            <StateLegend accessible={layout.access.some((a) => a !== 0)} />
          </div>
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
          <form action={formAction} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="box-office-seats-form">
            <input type="hidden" name="eventId" value={eventId} />
            {[...selected].map((seq) => (
              <input key={seq} type="hidden" name="seatIds[]" value={layout.ids[seq]} />
            ))}
            {types.length > 0 && selected.size > 0 && (
              <fieldset className="space-y-1" data-testid="box-office-seat-types">
                <legend className="text-sm font-medium text-slate-800">Ticket type per seat</legend>
                <div className="flex flex-wrap gap-3">
                  {[...selected].map((seq) => (
                    <label key={seq} className="space-y-1 text-sm text-slate-800">
                      <span className="block">Type for {seatLabel(model, seq)}</span>
                      <select
                        name="seatTypes[]"
                        value={seatTypes.get(seq) ?? ""}
                        onChange={(e) => setSeatTypes((prev) => new Map(prev).set(seq, e.target.value))}
                        className="block rounded-md border border-slate-300 bg-white px-3 py-2"
                      >
                        <option value="">As the order</option>
                        {types.map((t) => (
                          <option key={t.value} value={t.value}>
                            {t.label}
                          </option>
                        ))}
                      </select>
                    </label>
                  ))}
                </div>
                <FieldError state={state} name="seatTypes[]" />
              </fieldset>
            )}
            <p className="text-sm text-slate-800" aria-live="polite" data-testid="box-office-selection">
              {selected.size === 0
                ? "No seats selected."
                : `${selected.size} selected: ${[...selected]
                    .slice(0, 8)
                    .map((s) => seatLabel(model, s))
                    .join("; ")}${selected.size > 8 ? "; …" : ""}`}
            </p>
            <OrderFields prefix="seats" methods={methods} types={types} state={state} />
            <label className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" name="includeBlocked" defaultChecked={false} />
              Sell the house seats I selected too{chosenBlocked ? " (your selection includes house seats)" : ""}
            </label>
            <button type="submit" disabled={pending || selected.size === 0} className={buttonStyles("primary")}>
              Sell {selected.size === 0 ? "seats" : `${selected.size} seat${selected.size === 1 ? "" : "s"}`}
            </button>
            <Outcome state={state} />
          </form>
        </section>
      )}
      {gaSections.map((s) => (
        <GaOrderForm key={s.id} eventId={eventId} currency={currency} section={s} methods={methods} types={types} action={gaAction} />
      ))}
    </div>
  );
}

function GaOrderForm({
  eventId,
  currency,
  section,
  methods,
  types,
  action,
}: {
  eventId: string;
  currency: string;
  section: GaSection;
  methods: Method[];
  types: Method[];
  action: Action;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const id = `ga-${section.id}`;
  return (
    <section aria-labelledby={`${id}-h`} className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={`${id}-h`} className="text-lg font-semibold">
        {section.name} <span className="text-sm font-normal text-slate-600">(standing · {formatMoney(section.priceMinor, currency)})</span>
      </h2>
      <p className="text-sm text-slate-700">{section.free} free to sell</p>
      <form action={formAction} className="space-y-3">
        <input type="hidden" name="eventId" value={eventId} />
        <input type="hidden" name="sectionId" value={section.id} />
        <div className="space-y-1">
          <label htmlFor={`${id}-q`} className="block text-sm font-medium text-slate-800">
            Places
          </label>
          <input id={`${id}-q`} name="quantity" type="number" min={1} defaultValue={1} className="block w-28 rounded-md border border-slate-300 px-3 py-2" />
          <FieldError state={state} name="quantity" />
        </div>
        <OrderFields prefix={id} methods={methods} types={types} state={state} />
        <button type="submit" disabled={pending} className={buttonStyles("primary")}>
          Sell places
        </button>
        <Outcome state={state} />
      </form>
    </section>
  );
}

function OrderFields({ prefix, methods, types, state }: { prefix: string; methods: Method[]; types: Method[]; state: ActionState }) {
  // After a refusal the form starts afresh (React resets a form after its action): what was typed
  // comes back from the answer, so staff fix only what was wrong. `key` remounts the inputs with it.
  const v = state && !state.ok ? (state.values ?? {}) : {};
  return (
    <div className="flex flex-wrap items-start gap-3">
      <div className="space-y-1">
        <label htmlFor={`${prefix}-email`} className="block text-sm font-medium text-slate-800">
          Customer email
        </label>
        <input
          id={`${prefix}-email`}
          key={`email-${v.email ?? ""}`}
          defaultValue={v.email ?? ""}
          name="email"
          type="email"
          required
          autoComplete="off"
          className="block w-72 rounded-md border border-slate-300 px-3 py-2"
        />
        <FieldError state={state} name="email" />
      </div>
      <div className="space-y-1">
        <label htmlFor={`${prefix}-name`} className="block text-sm font-medium text-slate-800">
          Name <span className="font-normal text-slate-600">(for a new guest)</span>
        </label>
        <input
          id={`${prefix}-name`}
          key={`name-${v.name ?? ""}`}
          defaultValue={v.name ?? ""}
          name="name"
          autoComplete="off"
          className="block w-56 rounded-md border border-slate-300 px-3 py-2"
        />
      </div>
      <div className="space-y-1">
        <label htmlFor={`${prefix}-method`} className="block text-sm font-medium text-slate-800">
          Payment
        </label>
        <select
          id={`${prefix}-method`}
          key={`method-${v.method ?? ""}`}
          name="method"
          defaultValue={v.method ?? methods[0]?.value}
          className="block rounded-md border border-slate-300 bg-white px-3 py-2"
        >
          {methods.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
        <FieldError state={state} name="method" />
      </div>
      {types.length > 0 && (
        <div className="space-y-1">
          <label htmlFor={`${prefix}-type`} className="block text-sm font-medium text-slate-800">
            Ticket type
          </label>
          <select
            id={`${prefix}-type`}
            key={`type-${v.ticketTypeId ?? ""}`}
            name="ticketTypeId"
            defaultValue={v.ticketTypeId ?? ""}
            className="block rounded-md border border-slate-300 bg-white px-3 py-2"
          >
            <option value="">Each section&apos;s first type</option>
            {types.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
          <FieldError state={state} name="ticketTypeId" />
        </div>
      )}
      <div className="space-y-1">
        <label htmlFor={`${prefix}-promo`} className="block text-sm font-medium text-slate-800">
          Discount code <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <input
          id={`${prefix}-promo`}
          key={`promo-${v.promoCode ?? ""}`}
          defaultValue={v.promoCode ?? ""}
          name="promoCode"
          maxLength={40}
          autoComplete="off"
          className="block w-40 rounded-md border border-slate-300 px-3 py-2"
        />
        <FieldError state={state} name="promoCode" />
      </div>
      <div className="space-y-1">
        <label htmlFor={`${prefix}-note`} className="block text-sm font-medium text-slate-800">
          Note <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <input
          id={`${prefix}-note`}
          key={`note-${v.note ?? ""}`}
          defaultValue={v.note ?? ""}
          name="note"
          maxLength={200}
          className="block w-56 rounded-md border border-slate-300 px-3 py-2"
        />
      </div>
    </div>
  );
}

function FieldError({ state, name }: { state: ActionState; name: string }) {
  const errors = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  return (
    <p aria-live="polite" className="text-sm text-red-800">
      {errors?.join(" ")}
    </p>
  );
}

function Outcome({ state }: { state: ActionState }) {
  if (!state) return <p aria-live="polite" className="sr-only" />;
  return (
    <p
      aria-live="polite"
      role={state.ok ? "status" : "alert"}
      data-testid="box-office-outcome"
      className={`rounded-md border px-3 py-2 text-sm ${state.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-800"}`}
    >
      {/* The form-level message already names what went wrong; field errors stand beside their fields. */}
      {state.ok
        ? state.message
        : (state.formError ??
          Object.values(state.fieldErrors ?? {})
            .flat()
            .join(" "))}
    </p>
  );
}
