"use client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/form";
import { retriesWithSameKey } from "@/lib/checkout/attempts";
import { payAction } from "./actions";
import { ChoiceFields, useTicketChoices, useTotalText } from "./ticket-choice";

// The mock card form. Inputs are controlled so a failed attempt keeps what was typed. Every
// failed answer carries the key for the next press (values.idempotencyKey, see actions.ts):
// after a final answer (declined…) a fresh one, so the next press is a new attempt at once;
// after a transient one (timeout, still processing) the same one, so "Check payment" asks about
// the same attempt instead of paying again. Only when the hold itself has gone (ended,
// cancelled event) is the page refreshed, to show that instead of the form.

export type TestCard = { number: string; label: string };

const HOLD_GONE = new Set(["hold_expired", "reservation_closed", "not_found", "internal"]);

function spaced(n: string) {
  return n.replace(/(\d{4})(?=\d)/g, "$1 ");
}

export function CheckoutForm({
  reservationId,
  idempotencyKey,
  free,
  totalText,
  testCards,
}: {
  reservationId: string;
  idempotencyKey: string;
  free: boolean;
  totalText: string;
  testCards: TestCard[];
}) {
  const router = useRouter();
  const [state, formAction] = useActionState(payAction, null);
  // The total follows the server's quote for the types and code chosen in the order summary.
  const choices = useTicketChoices();
  const total = useTotalText(totalText);
  const isFree = choices ? choices.totalMinor === 0 : free;
  const [card, setCard] = useState({ cardName: "", cardNumber: "", cardExpiry: "", cardCvc: "" });
  const failed = state && !state.ok ? state : undefined;
  const keepKey = retriesWithSameKey(failed?.code);
  const key = failed?.values?.idempotencyKey ?? idempotencyKey;

  useEffect(() => {
    if (failed?.code && HOLD_GONE.has(failed.code)) router.refresh();
  }, [failed, router]);

  const expiry = `12/${String((new Date().getFullYear() + 3) % 100).padStart(2, "0")}`;
  const fe = failed?.fieldErrors;
  const set = (k: keyof typeof card) => (e: React.ChangeEvent<HTMLInputElement>) => setCard((c) => ({ ...c, [k]: e.target.value }));

  return (
    <form action={formAction} className="space-y-4" noValidate data-testid="checkout-form">
      <FormError message={failed?.formError} />
      <input type="hidden" name="reservationId" value={reservationId} />
      <input type="hidden" name="idempotencyKey" value={key} />
      <input type="hidden" name="method" value={isFree ? "free" : "mock"} />
      <ChoiceFields />
      {!isFree && (
        <>
          <Field label="Name on card (optional)" name="cardName" errors={fe?.cardName}>
            <Input name="cardName" autoComplete="cc-name" value={card.cardName} onChange={set("cardName")} />
          </Field>
          <Field label="Card number" name="cardNumber" errors={fe?.cardNumber}>
            <Input
              name="cardNumber"
              inputMode="numeric"
              autoComplete="cc-number"
              placeholder="1234 1234 1234 1234"
              required
              value={card.cardNumber}
              onChange={set("cardNumber")}
              invalid={!!fe?.cardNumber}
            />
          </Field>
          <div className="grid grid-cols-2 gap-4">
            <Field label="Expiry (MM/YY)" name="cardExpiry" errors={fe?.cardExpiry}>
              <Input
                name="cardExpiry"
                inputMode="numeric"
                autoComplete="cc-exp"
                placeholder="MM/YY"
                required
                value={card.cardExpiry}
                onChange={set("cardExpiry")}
                invalid={!!fe?.cardExpiry}
              />
            </Field>
            <Field label="Security code" name="cardCvc" errors={fe?.cardCvc}>
              <Input
                name="cardCvc"
                inputMode="numeric"
                autoComplete="cc-csc"
                placeholder="123"
                required
                value={card.cardCvc}
                onChange={set("cardCvc")}
                invalid={!!fe?.cardCvc}
              />
            </Field>
          </div>
          {testCards.length > 0 && (
            <details className="rounded-md border border-slate-200 bg-slate-50 text-sm" open>
              <summary className="cursor-pointer px-3 py-2 font-medium">Test cards (no real money moves)</summary>
              <ul className="space-y-1 px-3 pb-3" data-testid="test-cards">
                {testCards.map((c) => (
                  <li key={c.number} className="flex items-start justify-between gap-2">
                    <span className="min-w-0">
                      <code className="font-mono">{spaced(c.number)}</code> — {c.label}
                    </span>
                    <button
                      type="button"
                      className="shrink-0 rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-semibold hover:bg-slate-100"
                      onClick={() => setCard((x) => ({ ...x, cardNumber: spaced(c.number), cardExpiry: x.cardExpiry || expiry, cardCvc: x.cardCvc || "123" }))}
                      aria-label={`Use test card ${c.label}`}
                    >
                      Use
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
      <SubmitButton pendingText="Processing payment…" disabled={choices?.pending} data-testid="pay-button">
        {keepKey ? "Check payment" : isFree ? "Confirm free tickets" : `Pay ${total}`}
      </SubmitButton>
      <p className="text-xs text-slate-700">Pressing twice is safe: one order is charged at most once.</p>
    </form>
  );
}
