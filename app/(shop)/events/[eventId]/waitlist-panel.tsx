"use client";
import { useActionState } from "react";
import { buttonStyles } from "@/components/button-styles";
import { LocalTime } from "@/components/local-time";
import type { ActionState } from "@/lib/actions";
import type { MyWaitlistEntry } from "@/lib/waitlist/read";

// The waiting list on a sold-out event's page: join it (how many places, which section), see
// one's place in line, leave it, and — when places came back — the offer: places held in one's
// name until a time, to pay for like any hold.

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;

type Props = {
  eventId: string;
  signedIn: boolean;
  loginHref: string;
  maxPerOrder: number;
  sections: { id: string; name: string }[];
  entry: MyWaitlistEntry | null;
  joinAction: Action;
  leaveAction: Action;
};

export function WaitlistPanel({ eventId, signedIn, loginHref, maxPerOrder, sections, entry, joinAction, leaveAction }: Props) {
  const [joined, join, joining] = useActionState(joinAction, null);
  const [left, leave, leaving] = useActionState(leaveAction, null);
  const state = left ?? joined;
  const places = (n: number) => `${n} place${n === 1 ? "" : "s"}`;
  return (
    <section aria-labelledby="waitlist-h" className="space-y-3 rounded-xl border border-amber-300 bg-amber-50 p-5" data-testid="waitlist">
      <h2 id="waitlist-h" className="text-lg font-semibold text-amber-950">
        Waiting list
      </h2>
      {entry?.status === "OFFERED" && entry.offer ? (
        <div className="space-y-2" data-testid="waitlist-offer">
          <p className="font-medium text-emerald-900">
            Good news: {places(entry.offer.quantity)} came back and {entry.offer.quantity === 1 ? "is" : "are"} held for you until{" "}
            <LocalTime iso={entry.offer.expiresAt} />. Pay before then, or they go to the next person in line.
            {entry.offer.quantity < entry.quantity && ` That is fewer than the ${entry.quantity} you asked for: this event allows no more per customer.`}
          </p>
          <a href={`/checkout/${entry.offer.reservationId}`} className={buttonStyles("primary")}>
            Pay for your places
          </a>
        </div>
      ) : entry?.status === "WAITING" ? (
        <form action={leave} className="space-y-2">
          <input type="hidden" name="eventId" value={eventId} />
          <p className="text-amber-950" data-testid="waitlist-position">
            You are number {entry.position} on the waiting list for {places(entry.quantity)}
            {entry.sectionName ? ` in ${entry.sectionName}` : ""}. When places come back they are held for the people in line, in order; this page will show
            yours.
          </p>
          <button type="submit" disabled={leaving} className={buttonStyles("secondary")}>
            Leave the waiting list
          </button>
        </form>
      ) : !signedIn ? (
        <p className="text-amber-950">
          Sold out, but places may come back.{" "}
          <a className="font-semibold underline" href={loginHref}>
            Sign in
          </a>{" "}
          to join the waiting list.
        </p>
      ) : (
        <form action={join} className="flex flex-wrap items-end gap-3">
          <input type="hidden" name="eventId" value={eventId} />
          <p className="w-full text-amber-950">
            Sold out, but places may come back. Join the waiting list: they are offered in order, and held for you for 30 minutes when it is your turn.
          </p>
          <div className="space-y-1">
            <label htmlFor="waitlist-quantity" className="block text-sm font-medium text-slate-800">
              Places
            </label>
            <select id="waitlist-quantity" name="quantity" defaultValue="2" className="block w-24 rounded-md border border-slate-300 bg-white px-3 py-2">
              {Array.from({ length: maxPerOrder }, (_, i) => i + 1).map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </div>
          {sections.length > 1 && (
            <div className="space-y-1">
              <label htmlFor="waitlist-section" className="block text-sm font-medium text-slate-800">
                Section
              </label>
              <select id="waitlist-section" name="sectionId" defaultValue="" className="block rounded-md border border-slate-300 bg-white px-3 py-2">
                <option value="">Any section</option>
                {sections.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <button type="submit" disabled={joining} className={buttonStyles("primary")}>
            Join the waiting list
          </button>
        </form>
      )}
      {state && (
        <p role={state.ok ? "status" : "alert"} className={`text-sm ${state.ok ? "text-emerald-900" : "text-red-800"}`} data-testid="waitlist-outcome">
          {state.ok ? state.message : [state.formError, ...Object.values(state.fieldErrors ?? {}).flat()].filter(Boolean).join(" ")}
        </p>
      )}
    </section>
  );
}
