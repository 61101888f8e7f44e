"use client";
import Link from "next/link";
import { buttonStyles } from "@/components/button-styles";
import { SubmitButton } from "@/components/ui/button";
import { placeLabel } from "@/lib/seatmap/labels";
import { formatMoney } from "@/lib/money";
import { Countdown } from "@/components/shop/countdown";
import type { ReservationView } from "@/lib/holds/types";

// The side panel: what the visitor has picked (not yet held) and what is held for them, with
// the hold's countdown, checkout and release.

type Picked = { seq: number; id: number; label: string; priceMinor: number };

type Props = {
  eventId: string;
  currency: string;
  signedIn: boolean;
  loginHref: string;
  canBuy: boolean;
  limitLeft: number;
  picked: Picked[];
  onRemove: (seq: number) => void;
  onClear: () => void;
  reserve: (fd: FormData) => Promise<void>;
  reservation: ReservationView | null;
  serverNow: string;
  onExpire: () => void;
  release: (fd: FormData) => Promise<void>;
};

export function Basket(p: Props) {
  const total = p.picked.reduce((n, s) => n + s.priceMinor, 0);
  const r = p.reservation;
  const inPayment = r?.status === "PAYMENT";
  // Signed in or not, a pick can always be undone in one press.
  const clear =
    p.picked.length > 0 ? (
      <button type="button" onClick={p.onClear} className={buttonStyles("secondary")}>
        Clear selection
      </button>
    ) : null;
  return (
    <div id="basket" className="space-y-4">
      {r && (
        <section aria-labelledby="hold-title" className="rounded-xl border-2 border-emerald-600 bg-white p-4 shadow-sm" data-testid="hold-panel">
          <div className="flex items-baseline justify-between gap-2">
            <h2 id="hold-title" className="text-lg font-semibold">
              Held for you
            </h2>
            <p className="text-sm text-slate-700">
              {inPayment ? "Payment window" : "Time left"}{" "}
              <Countdown
                key={r.id + (inPayment ? r.paymentDeadline : r.expiresAt)}
                expiresAt={(inPayment && r.paymentDeadline) || r.expiresAt}
                serverNow={p.serverNow}
                onExpire={p.onExpire}
                className="text-xl font-bold text-slate-900"
              />
            </p>
          </div>
          <ul className="mt-3 divide-y divide-slate-100 text-sm" data-testid="held-items">
            {r.items.map((item) => (
              <li key={item.inventoryId} className="flex justify-between gap-3 py-1.5">
                <span>{placeLabel(item)}</span>
                <span className="tabular-nums">{formatMoney(item.priceMinor, r.currency)}</span>
              </li>
            ))}
          </ul>
          <p className="mt-2 flex justify-between border-t border-slate-200 pt-2 font-semibold">
            <span>Total</span>
            <span className="tabular-nums">{formatMoney(r.amountMinor, r.currency)}</span>
          </p>
          <div className="mt-4 flex flex-wrap gap-2">
            <Link href={`/checkout/${r.id}`} className={buttonStyles("primary")} data-testid="checkout-link">
              {inPayment ? "Return to payment" : "Go to checkout"}
            </Link>
            {!inPayment && (
              <form action={p.release}>
                <input type="hidden" name="eventId" value={p.eventId} />
                <input type="hidden" name="reservationId" value={r.id} />
                <SubmitButton variant="secondary" pendingText="Releasing…">
                  Release seats
                </SubmitButton>
              </form>
            )}
          </div>
          <p className="mt-3 text-xs text-slate-700">Seats are held only for the time shown. Nobody else can take them meanwhile.</p>
        </section>
      )}

      <section aria-labelledby="pick-title" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="selection-panel">
        <h2 id="pick-title" className="text-lg font-semibold">
          {r ? "Add more seats" : "Your selection"}
        </h2>
        {p.picked.length === 0 ? (
          <p className="mt-2 text-sm text-slate-700">
            {p.canBuy ? "Pick seats on the map, from the list, or let us find the best ones together." : "Nothing to pick right now."}
          </p>
        ) : (
          <>
            <ul className="mt-3 divide-y divide-slate-100 text-sm" data-testid="selected-items">
              {p.picked.map((s) => (
                <li key={s.seq} className="flex items-center justify-between gap-2 py-1.5">
                  <span className="min-w-0 flex-1">{s.label}</span>
                  <span className="tabular-nums">{formatMoney(s.priceMinor, p.currency)}</span>
                  <button
                    type="button"
                    onClick={() => p.onRemove(s.seq)}
                    className="rounded px-1.5 text-slate-700 hover:bg-slate-100"
                    aria-label={`Remove ${s.label}`}
                  >
                    ✕
                  </button>
                </li>
              ))}
            </ul>
            <p className="mt-2 flex justify-between border-t border-slate-200 pt-2 font-semibold">
              <span>
                {p.picked.length} seat{p.picked.length === 1 ? "" : "s"}
              </span>
              <span className="tabular-nums">{formatMoney(total, p.currency)}</span>
            </p>
          </>
        )}
        <p className="mt-2 text-xs text-slate-700">
          {p.limitLeft > 0 ? `You can add up to ${p.limitLeft} more.` : "You have reached the limit for one order."}
        </p>
        {p.canBuy &&
          (p.signedIn ? (
            <form action={p.reserve} className="mt-3 flex flex-wrap gap-2">
              <input type="hidden" name="eventId" value={p.eventId} />
              {p.picked.map((s) => (
                <input key={s.seq} type="hidden" name="seatIds[]" value={s.id} />
              ))}
              <SubmitButton pendingText="Reserving…" disabled={p.picked.length === 0 || inPayment}>
                {r ? "Add to my hold" : "Reserve"}
                {p.picked.length > 0 ? ` ${p.picked.length} seat${p.picked.length === 1 ? "" : "s"}` : ""}
              </SubmitButton>
              {clear}
            </form>
          ) : (
            <div className="mt-3 text-sm">
              <div className="flex flex-wrap gap-2">
                <Link href={p.loginHref} className={buttonStyles("primary")}>
                  Sign in to reserve
                </Link>
                <Link href={p.loginHref.replace("/login", "/guest")} className={buttonStyles("secondary")} data-testid="guest-link">
                  Continue as a guest
                </Link>
                {clear}
              </div>
              <span className="mt-2 block text-xs text-slate-700">Your picks are kept while you sign in. As a guest you only need an email address.</span>
            </div>
          ))}
        {!p.canBuy && clear && <div className="mt-3">{clear}</div>}
      </section>
    </div>
  );
}
