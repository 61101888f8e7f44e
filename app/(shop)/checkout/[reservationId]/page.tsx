import crypto from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { formatMoney } from "@/lib/money";
import { ZonedTime } from "@/components/zoned-time";
import { Countdown } from "@/components/shop/countdown";
import { AutoRefresh } from "@/components/shop/auto-refresh";
import { actorFromSession } from "@/lib/auth/actor";
import { listMyBookings } from "@/lib/bookings";
import { databaseNow } from "@/lib/clock";
import { env } from "@/lib/env";
import { getEventDetail } from "@/lib/events/queries";
import { CancellationNote } from "@/components/events/cancellation-note";
import { quoteCheckout, type Quote } from "@/lib/checkout/quote";
import { getReservation, type ReservationView } from "@/lib/holds";
import { checkoutChoices } from "@/lib/ticket-types/read";
import type { Actor } from "@/lib/auth/roles";
import { configuredProvider, MOCK_TEST_CARDS } from "@/lib/payments";
import { CheckoutForm, type TestCard } from "./checkout-form";
import { PromoCodeBox } from "./promo-code-box";
import { StripeCardForm } from "./stripe-form";
import { OrderLines, OrderTotal, TicketChoiceProvider, type ChoiceLine } from "./ticket-choice";

export const metadata: Metadata = { title: "Checkout" };

// Labels for the mock provider's documented cards (lib/payments/mock.ts); a card added there
// later still shows, under its key.
const CARD_LABELS: Partial<Record<string, string>> = {
  success: "payment succeeds",
  decline: "card declined",
  insufficientFunds: "insufficient funds",
  slow: "slow provider: times out, then succeeds",
  flaky: "network error on the first try, then succeeds",
  threeDSecure: "3-D Secure: your bank asks you to confirm",
};

type Params = { params: Promise<{ reservationId: string }>; searchParams: Promise<{ payment?: string }> };

export default async function CheckoutPage({ params, searchParams }: Params) {
  const { reservationId } = await params;
  const stripeKey = env().STRIPE_PUBLISHABLE_KEY;
  const verificationFailed = (await searchParams).payment === "declined"; // back from a 3-D Secure challenge (./return)
  const actor = await actorFromSession();
  if (!actor) redirect(`/login?next=${encodeURIComponent(`/checkout/${reservationId}`)}`);
  const reservation = await getReservation(actor, reservationId);
  if (!reservation) notFound(); // someone else's reservation looks exactly like a missing one
  const event = await getEventDetail(reservation.eventId, actor);
  if (!event) notFound();
  // The first attempt's key, fresh per rendering; each failed answer brings the key for the next press (actions.ts).
  const idempotencyKey = crypto.randomUUID();
  const serverNow = await databaseNow();
  // Ticket types (docs/box-office.md): each place's choices at the prices in force when the hold began.
  const choices = new Map((await checkoutChoices(reservation.id)).map((c) => [c.inventoryId, c.options]));
  const lines: ChoiceLine[] = reservation.items.map((item) => ({ ...item, options: choices.get(item.inventoryId) ?? [] }));
  // The server prices the order (the default types, no code yet); the page asks again on each change.
  const quoted = await quoteCheckout(actor, reservation.id);
  const initialQuote: Quote = quoted.ok ? quoted.quote : { lines: [], discountMinor: 0, totalMinor: reservation.amountMinor, promo: null };
  const free = reservation.amountMinor === 0;
  // Test cards help in development and tests; a production site never prints them, even one that
  // runs the mock provider on purpose (TESSERA_ALLOW_MOCK_PAYMENTS): visitors must not learn them.
  const testCards: TestCard[] =
    env().NODE_ENV === "production" ? [] : Object.entries(MOCK_TEST_CARDS).map(([k, number]) => ({ number, label: CARD_LABELS[k] ?? k }));

  // The summary comes first in the page (on a phone it sits above the form); on wider screens
  // it moves to the right-hand column.
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <p className="text-sm font-medium text-slate-700">
          <Link href={`/events/${event.id}`} className="underline">
            ← Back to {event.title}
          </Link>
        </p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight">Checkout</h1>
      </div>
      <TicketChoiceProvider reservationId={reservation.id} lines={lines} currency={reservation.currency} initialQuote={initialQuote}>
        <div className="grid gap-8 md:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
          <aside
            aria-labelledby="summary-title"
            className="space-y-4 self-start rounded-xl border border-slate-200 bg-white p-5 shadow-sm md:sticky md:top-4 md:col-start-2 md:row-start-1"
          >
            <h2 id="summary-title" className="text-lg font-semibold">
              Order summary
            </h2>
            <div className="text-sm text-slate-800">
              <p className="font-semibold">{event.title}</p>
              <p>
                <ZonedTime iso={event.startsAt} timeZone={event.timeZone} />
              </p>
              <p>{event.venueName}</p>
            </div>
            <OrderLines editable={reservation.status === "ACTIVE"} />
            <PromoCodeBox editable={reservation.status === "ACTIVE"} />
            <p className="flex justify-between border-t border-slate-200 pt-2 text-base font-bold">
              <span>Total</span>
              <OrderTotal />
            </p>
            <CancellationNote policy={event.cancellationPolicy} startsAt={event.startsAt} className="border-t border-slate-200 pt-2" />
            <p className="text-sm text-slate-700" data-testid="tickets-to">
              Tickets go to <strong>{actor.email}</strong>
              {actor.guest ? " (guest checkout)." : "."}
            </p>
            {reservation.status === "ACTIVE" && (
              <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
                Seats held for you for <Countdown expiresAt={reservation.expiresAt} serverNow={serverNow} refreshOnExpire className="font-bold" />
              </p>
            )}
          </aside>
          <div className="space-y-6 md:col-start-1 md:row-start-1">
            {verificationFailed && reservation.status === "ACTIVE" && (
              <div role="alert" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-red-900" data-testid="verification-failed">
                Your bank&apos;s check was not completed, so nothing was charged. Your seats are still held: try again, or use another card.
              </div>
            )}
            <State reservation={reservation} eventId={event.id} actor={actor} />
            {(reservation.status === "ACTIVE" || reservation.status === "PAYMENT") && (
              <section aria-labelledby="pay-title" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <h2 id="pay-title" className="mb-4 text-lg font-semibold">
                  {free ? "Confirm your free tickets" : "Pay by card"}
                </h2>
                {free || configuredProvider() === "mock" ? (
                  <CheckoutForm
                    reservationId={reservation.id}
                    idempotencyKey={idempotencyKey}
                    free={free}
                    totalText={formatMoney(reservation.amountMinor, reservation.currency)}
                    testCards={testCards}
                  />
                ) : stripeKey ? (
                  <StripeCardForm
                    publishableKey={stripeKey}
                    reservationId={reservation.id}
                    idempotencyKey={idempotencyKey}
                    amountMinor={reservation.amountMinor}
                    currency={reservation.currency}
                    totalText={formatMoney(reservation.amountMinor, reservation.currency)}
                  />
                ) : (
                  <p className="text-sm text-slate-700">Card payments are not configured on this site yet. Please contact the organizer.</p>
                )}
              </section>
            )}
          </div>
        </div>
      </TicketChoiceProvider>
    </div>
  );
}

async function State({ reservation, eventId, actor }: { reservation: ReservationView; eventId: string; actor: Actor }) {
  switch (reservation.status) {
    case "ACTIVE":
      return null;
    case "PAYMENT":
      return (
        <div role="status" className="rounded-lg border border-sky-300 bg-sky-50 px-4 py-3 text-sky-900">
          A payment for this order is in progress. This page checks again every few seconds; you will never be charged twice.
          <AutoRefresh everyMs={3000} />
        </div>
      );
    case "CONFIRMED": {
      const booking = (await listMyBookings(actor)).find((b) => b.eventId === eventId);
      return (
        <div role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-emerald-900">
          This order is paid.{" "}
          {booking ? (
            <Link className="font-semibold underline" href={`/bookings/${booking.reference}`}>
              See your tickets
            </Link>
          ) : (
            <Link className="font-semibold underline" href="/account/bookings">
              See your bookings
            </Link>
          )}
          .
        </div>
      );
    }
    case "FAILED":
      return (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-red-900">
          We could not complete this order. Any payment taken has been refunded in full, and the seats were released.{" "}
          <Link className="font-semibold underline" href={`/events/${eventId}`}>
            Choose seats again
          </Link>
          .
        </div>
      );
    default:
      return (
        <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900" data-testid="hold-ended">
          Your hold on these seats has ended{reservation.status === "EXPIRED" ? " (the time ran out)" : ""}, so they were released and nothing was charged.{" "}
          <Link className="font-semibold underline" href={`/events/${eventId}`}>
            Choose seats again
          </Link>
          .
        </div>
      );
  }
}
