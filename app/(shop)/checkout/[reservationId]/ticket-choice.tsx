"use client";
import { createContext, useCallback, useContext, useMemo, useRef, useState, useTransition, type ReactNode } from "react";
import type { FailedState } from "@/lib/actions";
import type { Quote } from "@/lib/checkout/quote";
import { formatMoney } from "@/lib/money";
import { placeLabel, type PlaceName } from "@/lib/seatmap/labels";
import { quoteCheckoutAction } from "./quote-actions";

// Choosing a ticket type per held place and a discount code (docs/box-office.md,
// docs/promo-codes.md). The order summary lists each place with a choice of its types (first:
// the default); the pay form sends the choices as `ticketTypes[]` ("inventoryId:typeId") and the
// code. Nothing is priced here: every change asks the server for a quote (./quote-actions.ts,
// lib/checkout/quote.ts, the same SQL the checkout charges with) and the summary shows the
// answer — each place's price, the discount and the total. While an answer is on its way the
// summary says so and the pay button waits, so the total shown is always the total charged.

export type ChoiceOption = { ticketTypeId: string; name: string; note: string; priceMinor: number };
export type ChoiceLine = PlaceName & { inventoryId: number; sectionId: string; priceMinor: number; options: ChoiceOption[] };

type Ctx = {
  lines: ChoiceLine[];
  chosen: Record<number, string>;
  choose: (id: number, typeId: string) => void;
  quote: Quote;
  totalMinor: number;
  discountMinor: number;
  currency: string;
  promo: Quote["promo"];
  /** Asks for a quote with this code (null: none); resolves to the refusal when the server refused. */
  askWithCode: (code: string | null) => Promise<FailedState | null>;
  pending: boolean; // a quote is on its way
  error: string | null; // the last type change was refused
};
const ChoiceContext = createContext<Ctx | null>(null);

type Props = { reservationId: string; lines: ChoiceLine[]; currency: string; initialQuote: Quote; children: ReactNode };

export function TicketChoiceProvider({ reservationId, lines, currency, initialQuote, children }: Props) {
  const [chosen, setChosen] = useState<Record<number, string>>(() =>
    Object.fromEntries(lines.filter((l) => l.options.length).map((l) => [l.inventoryId, l.options[0].ticketTypeId])),
  );
  const [quote, setQuote] = useState(initialQuote);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const asked = useRef(0); // only the latest question's answer is shown

  const ask = useCallback(
    (choices: Record<number, string>, code: string | null) =>
      new Promise<FailedState | null>((resolve) => {
        const n = ++asked.current;
        const form = new FormData();
        form.set("reservationId", reservationId);
        for (const [id, typeId] of Object.entries(choices)) form.append("ticketTypes[]", `${id}:${typeId}`);
        if (code) form.set("promoCode", code);
        startTransition(async () => {
          const r = await quoteCheckoutAction(null, form);
          if (n !== asked.current) return resolve(null);
          if (r?.ok && r.data) {
            setQuote(r.data);
            setError(null);
            return resolve(null);
          }
          const failed: FailedState = r && !r.ok ? r : { ok: false, formError: "The price could not be worked out. Reload the page." };
          resolve(failed);
        });
      }),
    [reservationId],
  );

  const value = useMemo<Ctx>(
    () => ({
      lines,
      chosen,
      currency,
      quote,
      totalMinor: quote.totalMinor,
      discountMinor: quote.discountMinor,
      promo: quote.promo,
      pending,
      error,
      choose: (id, typeId) => {
        const next = { ...chosen, [id]: typeId };
        setChosen(next);
        void ask(next, quote.promo?.code ?? null).then((f) => f && setError(f.formError ?? "Please choose again."));
      },
      askWithCode: (code) => ask(chosen, code),
    }),
    [lines, chosen, currency, quote, pending, error, ask],
  );
  return <ChoiceContext.Provider value={value}>{children}</ChoiceContext.Provider>;
}

export function useTicketChoices(): Ctx | null {
  return useContext(ChoiceContext);
}

/** The order's places, each with its type (a choice when there are several) and the price the server quoted. */
export function OrderLines({ editable }: { editable: boolean }) {
  const ctx = useTicketChoices()!;
  const quoted = new Map(ctx.quote.lines.map((l) => [l.inventoryId, l.priceMinor]));
  return (
    <>
      <ul className="divide-y divide-slate-100 text-sm" data-testid="order-items" aria-busy={ctx.pending}>
        {ctx.lines.map((line) => {
          const label = placeLabel(line);
          const option = line.options.find((o) => o.ticketTypeId === ctx.chosen[line.inventoryId]) ?? line.options[0];
          const selectId = `ticket-type-${line.inventoryId}`;
          return (
            <li key={line.inventoryId} className="space-y-1 py-1.5">
              <div className="flex justify-between gap-3">
                <span>{label}</span>
                <span className="tabular-nums" data-testid="item-price">
                  {formatMoney(quoted.get(line.inventoryId) ?? line.priceMinor, ctx.currency)}
                </span>
              </div>
              {line.options.length > 0 && editable && (
                <div className="flex items-center gap-2">
                  <label htmlFor={selectId} className="text-xs text-slate-700">
                    Ticket type
                  </label>
                  <select
                    id={selectId}
                    aria-label={`Ticket type for ${label}`}
                    className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
                    value={ctx.chosen[line.inventoryId]}
                    onChange={(e) => ctx.choose(line.inventoryId, e.target.value)}
                    data-testid="ticket-type-select"
                  >
                    {line.options.map((o) => (
                      <option key={o.ticketTypeId} value={o.ticketTypeId}>
                        {o.name} — {formatMoney(o.priceMinor, ctx.currency)}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              {line.options.length > 0 && !editable && option && <p className="text-xs text-slate-700">{option.name}</p>}
              {option?.note && <p className="text-xs text-amber-800">{option.note}</p>}
            </li>
          );
        })}
      </ul>
      {ctx.error && (
        <p role="alert" className="text-sm text-red-700" data-testid="quote-error">
          {ctx.error}
        </p>
      )}
    </>
  );
}

export function OrderTotal() {
  const ctx = useTicketChoices()!;
  return (
    <span className="tabular-nums" data-testid="order-total" aria-busy={ctx.pending}>
      {ctx.pending ? <span className="text-sm font-normal text-slate-600">Updating… </span> : null}
      {formatMoney(ctx.totalMinor, ctx.currency)}
    </span>
  );
}

/** The choices as form fields, for the pay action. */
export function ChoiceFields() {
  const ctx = useTicketChoices();
  if (!ctx) return null;
  return (
    <>
      {Object.entries(ctx.chosen).map(([id, typeId]) => (
        <input key={id} type="hidden" name="ticketTypes[]" value={`${id}:${typeId}`} />
      ))}
      {ctx.promo && <input type="hidden" name="promoCode" value={ctx.promo.code} />}
    </>
  );
}

/** The total to pay, as the pay button says it. */
export function useTotalText(fallback: string): string {
  const ctx = useTicketChoices();
  return ctx ? formatMoney(ctx.totalMinor, ctx.currency) : fallback;
}
