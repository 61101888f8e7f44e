"use client";
import { useEffect, useRef, useState } from "react";
import { FormError } from "@/components/ui/form";
import { buttonStyles } from "@/components/button-styles";
import { payWithStripeAction } from "./stripe-actions";
import { useTicketChoices, useTotalText } from "./ticket-choice";

// Stripe's Payment Element (docs/payments.md): Stripe.js from js.stripe.com renders the card
// fields in its own frames, so card numbers never touch this site. On "Pay" the element turns
// the card into a PaymentMethod; our server charges it (PaymentIntent created and confirmed with
// the checkout's key as Stripe's Idempotency-Key). When the bank asks for 3-D Secure the server
// answers with the PaymentIntent's client secret and Stripe.js runs the challenge here
// (handleNextAction; issuers that redirect come back to the same place); then the return page
// asks Stripe how it ended and books. The webhook books it even if the browser never comes back.

type StripeError = { message?: string };
type Elements = { create(kind: "payment"): { mount(el: HTMLElement): void }; submit(): Promise<{ error?: StripeError }> };
type StripeJs = {
  elements(opts: { mode: "payment"; amount: number; currency: string; paymentMethodCreation: "manual" }): Elements;
  createPaymentMethod(opts: { elements: Elements }): Promise<{ paymentMethod?: { id: string }; error?: StripeError }>;
  handleNextAction(opts: { clientSecret: string }): Promise<{ error?: StripeError }>;
};
declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

const STRIPE_JS = "https://js.stripe.com/v3/";

function loadStripeJs(): Promise<NonNullable<Window["Stripe"]>> {
  if (window.Stripe) return Promise.resolve(window.Stripe);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = STRIPE_JS;
    script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error("Stripe.js did not load")));
    script.onerror = () => reject(new Error("Stripe.js did not load"));
    document.head.appendChild(script);
  });
}

type Props = { publishableKey: string; reservationId: string; idempotencyKey: string; amountMinor: number; currency: string; totalText: string };

export function StripeCardForm({ publishableKey, reservationId, idempotencyKey, amountMinor: heldAmount, currency, totalText: heldTotal }: Props) {
  // The amount follows the server's quote for the types and code chosen in the order summary.
  const choices = useTicketChoices();
  const amountMinor = choices?.totalMinor ?? heldAmount;
  const totalText = useTotalText(heldTotal);
  const mountRef = useRef<HTMLDivElement>(null);
  const stripeRef = useRef<{ stripe: StripeJs; elements: Elements } | null>(null);
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [key, setKey] = useState(idempotencyKey);

  useEffect(() => {
    let gone = false;
    loadStripeJs()
      .then((Stripe) => {
        if (gone || !mountRef.current) return;
        const stripe = Stripe(publishableKey);
        const elements = stripe.elements({ mode: "payment", amount: amountMinor, currency: currency.trim().toLowerCase(), paymentMethodCreation: "manual" });
        elements.create("payment").mount(mountRef.current);
        stripeRef.current = { stripe, elements };
        setReady(true);
      })
      .catch(() => setError("The card form could not be loaded. Check your connection and reload the page; nothing was charged."));
    return () => {
      gone = true;
    };
  }, [publishableKey, amountMinor, currency]);

  async function pay(e: React.FormEvent) {
    e.preventDefault();
    const s = stripeRef.current;
    if (!s || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const submitted = await s.elements.submit();
      if (submitted.error) return setError(submitted.error.message ?? "Please check your card details.");
      const pm = await s.stripe.createPaymentMethod({ elements: s.elements });
      if (pm.error || !pm.paymentMethod) return setError(pm.error?.message ?? "Please check your card details.");
      const form = new FormData();
      form.set("reservationId", reservationId);
      form.set("idempotencyKey", key);
      form.set("paymentMethodId", pm.paymentMethod.id);
      for (const [id, typeId] of Object.entries(choices?.chosen ?? {})) form.append("ticketTypes[]", `${id}:${typeId}`);
      if (choices?.promo) form.set("promoCode", choices.promo.code);
      const r = await payWithStripeAction(null, form);
      if (r?.ok && r.data) {
        if (r.data.clientSecret) await s.stripe.handleNextAction({ clientSecret: r.data.clientSecret });
        window.location.assign(r.data.next);
        return;
      }
      setError((r && !r.ok && r.formError) || "The payment did not go through.");
      if (r && !r.ok && r.values?.idempotencyKey) setKey(r.values.idempotencyKey);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={pay} className="space-y-4" noValidate data-testid="stripe-form">
      <FormError message={error} />
      <div ref={mountRef} data-testid="payment-element" className="min-h-24" />
      <button
        type="submit"
        className={buttonStyles("primary")}
        disabled={!ready || busy || choices?.pending}
        aria-disabled={!ready || busy || choices?.pending}
        data-testid="pay-button"
      >
        {busy ? "Processing payment…" : `Pay ${totalText}`}
      </button>
      <p className="text-xs text-slate-700">Your card details go straight to Stripe. Pressing twice is safe: one order is charged at most once.</p>
    </form>
  );
}
