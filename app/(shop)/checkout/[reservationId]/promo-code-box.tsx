"use client";
import { useState } from "react";
import { formatMoney } from "@/lib/money";
import { useTicketChoices } from "./ticket-choice";

// The discount code field of the order summary (docs/promo-codes.md): "Apply" asks the server
// for a quote with the code (./ticket-choice.tsx askWithCode); the summary then shows the
// discount and the total the server computed, and the pay form sends the code (ChoiceFields). A
// code that does not apply to the places (or the ticket types chosen) says so here; paying with
// it is refused with the same message.

export function PromoCodeBox({ editable }: { editable: boolean }) {
  const ctx = useTicketChoices()!;
  const [text, setText] = useState("");
  const [message, setMessage] = useState<string | undefined>();

  async function apply(e: React.FormEvent) {
    e.preventDefault();
    if (!text.trim()) return setMessage("Enter a code");
    const refused = await ctx.askWithCode(text.trim());
    setMessage(refused ? (refused.fieldErrors?.promoCode?.[0] ?? refused.formError) : undefined);
  }

  if (ctx.promo) {
    return (
      <div className="space-y-1 text-sm" data-testid="promo-applied">
        <p className="flex justify-between gap-3">
          <span>
            Discount <span className="font-mono font-semibold">{ctx.promo.code}</span>
          </span>
          <span className="tabular-nums" data-testid="promo-discount">
            −{formatMoney(ctx.discountMinor, ctx.currency)}
          </span>
        </p>
        {!ctx.promo.applies && (
          <p role="alert" className="text-amber-800">
            This code does not apply to these seats or ticket types.
          </p>
        )}
        {editable && (
          <button type="button" className="text-brand-700 underline" disabled={ctx.pending} onClick={() => void ctx.askWithCode(null)}>
            Remove code
          </button>
        )}
      </div>
    );
  }
  if (!editable) return null;
  return (
    <form onSubmit={apply} className="space-y-1" noValidate data-testid="promo-form">
      <label htmlFor="promo-code-input" className="block text-sm font-medium">
        Discount code
      </label>
      <div className="flex gap-2">
        <input
          id="promo-code-input"
          name="promoCode"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoComplete="off"
          aria-invalid={!!message}
          aria-describedby={message ? "promo-code-error" : undefined}
          className="w-full rounded-md border border-slate-300 px-2 py-1 font-mono text-sm uppercase"
        />
        <button type="submit" disabled={ctx.pending} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-semibold hover:bg-slate-50">
          Apply
        </button>
      </div>
      <p id="promo-code-error" aria-live="polite" className="text-sm text-red-700" data-testid="promo-error">
        {message}
      </p>
    </form>
  );
}
