"use client";
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import { formatMoney } from "@/lib/money";
import { placeLabel, type PlaceName } from "@/lib/seatmap/labels";

// Choosing a ticket type per held place (docs/box-office.md). The order summary lists each place
// with a choice of its types (first: the default) and keeps the total in step; the pay form sends
// the choices as `ticketTypes[]` ("inventoryId:typeId"). The prices shown are those in force when
// the hold began, the same the checkout charges (lib/ticket-types/read.ts checkoutChoices).

export type ChoiceOption = { ticketTypeId: string; name: string; note: string; priceMinor: number };
export type ChoiceLine = PlaceName & { inventoryId: number; sectionId: string; priceMinor: number; options: ChoiceOption[] };

/** A discount code the customer applied (./promo-code-box.tsx); the checkout's start decides again. */
export type AppliedPromo = { code: string; kind: "PERCENT" | "FIXED"; amount: number; sectionIds: string[] | null; ticketTypeIds: string[] | null };

type Ctx = {
  lines: ChoiceLine[];
  chosen: Record<number, string>;
  choose: (id: number, typeId: string) => void;
  totalMinor: number;
  discountMinor: number;
  currency: string;
  promo: AppliedPromo | null;
  setPromo: (p: AppliedPromo | null) => void;
};
const ChoiceContext = createContext<Ctx | null>(null);

function priceOf(line: ChoiceLine, chosen: Record<number, string>): number {
  if (line.options.length === 0) return line.priceMinor;
  return (line.options.find((o) => o.ticketTypeId === chosen[line.inventoryId]) ?? line.options[0]).priceMinor;
}

/** Each place's discount, as lib/promo-codes/apply.ts computes it: percent per place, fixed spread in place order. */
function discounts(lines: ChoiceLine[], chosen: Record<number, string>, promo: AppliedPromo | null): Map<number, number> {
  const out = new Map<number, number>();
  if (!promo) return out;
  let left = promo.amount;
  for (const line of [...lines].sort((a, b) => a.inventoryId - b.inventoryId)) {
    const typeId = line.options.length ? (chosen[line.inventoryId] ?? line.options[0].ticketTypeId) : null;
    if (promo.sectionIds && !promo.sectionIds.includes(line.sectionId)) continue;
    if (promo.ticketTypeIds && !(typeId && promo.ticketTypeIds.includes(typeId))) continue;
    const price = priceOf(line, chosen);
    const off = promo.kind === "PERCENT" ? Math.floor((price * promo.amount + 50) / 100) : Math.min(price, Math.max(0, left));
    if (promo.kind === "FIXED") left -= price;
    out.set(line.inventoryId, off);
  }
  return out;
}

export function TicketChoiceProvider({ lines, currency, children }: { lines: ChoiceLine[]; currency: string; children: ReactNode }) {
  const [chosen, setChosen] = useState<Record<number, string>>(() =>
    Object.fromEntries(lines.filter((l) => l.options.length).map((l) => [l.inventoryId, l.options[0].ticketTypeId])),
  );
  const [promo, setPromo] = useState<AppliedPromo | null>(null);
  const value = useMemo<Ctx>(() => {
    const off = [...discounts(lines, chosen, promo).values()].reduce((a, b) => a + b, 0);
    return {
      lines,
      chosen,
      currency,
      choose: (id, typeId) => setChosen((c) => ({ ...c, [id]: typeId })),
      totalMinor: lines.reduce((sum, l) => sum + priceOf(l, chosen), 0) - off,
      discountMinor: off,
      promo,
      setPromo,
    };
  }, [lines, chosen, currency, promo]);
  return <ChoiceContext.Provider value={value}>{children}</ChoiceContext.Provider>;
}

export function useTicketChoices(): Ctx | null {
  return useContext(ChoiceContext);
}

/** The order's places, each with its type (a choice when there are several) and price. */
export function OrderLines({ editable }: { editable: boolean }) {
  const ctx = useTicketChoices()!;
  return (
    <ul className="divide-y divide-slate-100 text-sm" data-testid="order-items">
      {ctx.lines.map((line) => {
        const label = placeLabel(line);
        const option = line.options.find((o) => o.ticketTypeId === ctx.chosen[line.inventoryId]) ?? line.options[0];
        const selectId = `ticket-type-${line.inventoryId}`;
        return (
          <li key={line.inventoryId} className="space-y-1 py-1.5">
            <div className="flex justify-between gap-3">
              <span>{label}</span>
              <span className="tabular-nums" data-testid="item-price">
                {formatMoney(priceOf(line, ctx.chosen), ctx.currency)}
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
  );
}

export function OrderTotal() {
  const ctx = useTicketChoices()!;
  return (
    <span className="tabular-nums" data-testid="order-total">
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
