"use client";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { formatMoney } from "@/lib/money";
import { SeatMap } from "@/components/seatmap/seat-map";
import { StateLegend } from "@/components/seatmap/legend";
import { SeatList } from "@/components/seatmap/seat-list";
import type { ActionState } from "@/lib/actions";
import type { ReservationView } from "@/lib/holds/types";
import { bestAvailable } from "@/lib/seatmap/best-available";
import { expandLayout, type CompactLayout } from "@/lib/seatmap/compact";
import { buildSeatModel, seatLabel, seqByIdMap } from "@/lib/seatmap/model";
import { SEAT_ACCESS_COMPANION, SEAT_ACCESS_WHEELCHAIR, SEAT_AVAILABLE, SEAT_BLOCKED, SEAT_HELD, type InventorySnapshot } from "@/lib/seatmap/types";
import { holdGeneralAdmissionAction, holdSeatsAction, releaseAction, type HoldResult } from "./actions";
import { Basket } from "./basket";
import { BestAvailableForm, type SeatKind } from "./best-available-form";
import { GaPicker } from "./ga-picker";
import { Messages, type Message } from "./messages";
import { useInventory } from "./use-inventory";

// The event page's interactive part. The server hands over the layout, the first inventory
// snapshot and the visitor's open reservation, so nothing waits on a client fetch; after that
// the inventory is polled and holds go through server actions.

export type ShopEvent = { id: string; title: string; currency: string; maxPerOrder: number; canBuy: boolean };

type Props = {
  event: ShopEvent;
  layout: CompactLayout;
  snapshot: InventorySnapshot;
  reservation: ReservationView | null;
  serverNow: string;
  signedIn: boolean;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function Shop(props: Props) {
  const { event } = props;
  const layout = useMemo(() => {
    if (typeof performance !== "undefined") performance.mark("seatmap:model-start");
    return expandLayout(props.layout);
  }, [props.layout]);
  const model = useMemo(() => {
    const built = buildSeatModel(layout);
    if (typeof performance !== "undefined") performance.mark("seatmap:model-ready");
    return built;
  }, [layout]);
  const seqById = useMemo(() => seqByIdMap(layout), [layout]);
  const { live, refresh, stale } = useInventory(event.id, props.snapshot);

  const [reservation, setReservation] = useState(props.reservation);
  const [serverNow, setServerNow] = useState(props.serverNow);
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set());
  const [flagged, setFlagged] = useState<ReadonlySet<number>>(() => new Set());
  const [focus, setFocus] = useState<number | null>(null);
  const [focusRequest, setFocusRequest] = useState<{ seq: number; n: number } | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const hasAccessible = useMemo(() => layout.access.some((a) => a !== 0), [layout]);
  const [accessibleOnly, setAccessibleOnly] = useState(false);
  const [openedGa, setOpenedGa] = useState<{ id: string; n: number } | null>(null);

  const mine = useMemo(() => {
    // By place id, not seq: a view without hidden sections numbers its places apart (lib/inventory/visible.ts).
    const m = new Uint8Array(model.count);
    const at = new Map(layout.ids.map((id, seq) => [id, seq]));
    for (const item of reservation?.items ?? []) {
      const seq = at.get(item.inventoryId);
      if (seq !== undefined) m[seq] = 1;
    }
    return m;
  }, [reservation, model.count, layout]);
  const limitLeft = Math.max(0, event.maxPerOrder - (reservation?.quantity ?? 0) - selected.size);
  const names = useCallback((seqs: number[]) => seqs.map((s) => seatLabel(model, s)).join("; "), [model]);
  const priceOf = useCallback((seq: number) => layout.sections[model.sectionOf[seq]]?.priceMinor ?? 0, [layout, model]);

  // Keep the selection across a sign-in round trip.
  const storageKey = `tessera:pick:${event.id}`;
  const statesRef = useRef(live.states);
  statesRef.current = live.states;
  useEffect(() => {
    try {
      const saved = JSON.parse(sessionStorage.getItem(storageKey) ?? "[]") as unknown;
      if (!Array.isArray(saved)) return;
      const still = saved.filter((s): s is number => Number.isInteger(s) && s >= 0 && s < model.count && statesRef.current[s] === SEAT_AVAILABLE);
      if (still.length) setSelected(new Set(still.slice(0, event.maxPerOrder)));
    } catch {
      // a damaged entry is simply ignored
    }
  }, [storageKey, model.count, event.maxPerOrder]);
  useEffect(() => sessionStorage.setItem(storageKey, JSON.stringify([...selected])), [storageKey, selected]);

  // Seats someone else took while they sat in this visitor's selection: drop them and say so.
  const latest = useRef({ selected, mine });
  latest.current = { selected, mine };
  useEffect(() => {
    const { selected: sel, mine: own } = latest.current;
    const lost = [...sel].filter((s) => live.states[s] !== SEAT_AVAILABLE && !own[s]);
    if (lost.length === 0) return;
    setFlagged(new Set(lost));
    setSelected(new Set([...sel].filter((s) => !lost.includes(s))));
    setMessage({ tone: "warning", text: `Just taken by someone else: ${names(lost)}. Please pick again.` });
  }, [live.states, names]);

  useEffect(() => {
    if (flagged.size === 0) return;
    const t = setTimeout(() => setFlagged(new Set()), 8000);
    return () => clearTimeout(t);
  }, [flagged]);

  const describe = useCallback(
    (seq: number) => {
      const state = selected.has(seq)
        ? "selected"
        : mine[seq]
          ? "held for you"
          : live.states[seq] === SEAT_AVAILABLE
            ? "available"
            : live.states[seq] === SEAT_HELD
              ? "held by someone else"
              : live.states[seq] === SEAT_BLOCKED
                ? "not on sale"
                : "sold";
      const access =
        layout.access[seq] === SEAT_ACCESS_WHEELCHAIR ? " (wheelchair space)" : layout.access[seq] === SEAT_ACCESS_COMPANION ? " (companion seat)" : "";
      return `${seatLabel(model, seq)}${access} — ${formatMoney(priceOf(seq), event.currency)} — ${state}`;
    },
    [model, layout, selected, mine, live.states, priceOf, event.currency],
  );

  const toggle = useCallback(
    (seq: number) => {
      if (mine[seq]) return setMessage({ tone: "info", text: `${seatLabel(model, seq)} is already held for you.` });
      if (selected.has(seq)) {
        setSelected((prev) => new Set([...prev].filter((s) => s !== seq)));
        return setMessage({ tone: "info", text: `Removed ${seatLabel(model, seq)}.` });
      }
      if (live.states[seq] !== SEAT_AVAILABLE) return setMessage({ tone: "info", text: `${describe(seq)}: not available.` });
      if (!event.canBuy) return setMessage({ tone: "info", text: "Tickets are not on sale right now." });
      if (limitLeft <= 0) return setMessage({ tone: "warning", text: `You can have at most ${event.maxPerOrder} tickets in one order.` });
      setSelected((prev) => new Set([...prev, seq]));
      setMessage({ tone: "info", text: `Selected ${seatLabel(model, seq)}.` });
    },
    [mine, selected, live.states, model, describe, limitLeft, event.canBuy, event.maxPerOrder],
  );

  // Wheelchair spaces and companion seats are left to those who need them unless asked for.
  const findBest = (sectionIndex: number, n: number, kind: SeatKind = "standard") => {
    const fits = (seq: number) => kind === "any" || (kind === "standard") === !layout.access[seq];
    const free = (seq: number) => live.states[seq] === SEAT_AVAILABLE && !mine[seq] && fits(seq);
    const found = bestAvailable(model, live.states, sectionIndex, n, free);
    if (!found) {
      const what = kind === "accessible" ? "wheelchair or companion seats" : "seats";
      return setMessage({
        tone: "warning",
        text: `No ${n} ${what} together left in ${layout.sections[sectionIndex].name}. Try fewer seats or another section.`,
      });
    }
    setSelected(new Set(found.seqs));
    setFocus(found.seqs[0]);
    setFocusRequest({ seq: found.seqs[0], n: Date.now() });
    const orphanNote = found.orphans ? " (the only way to seat you together leaves a single seat free beside you)" : "";
    setMessage({ tone: "info", text: `Found ${plural(n, "seat")} together: ${names(found.seqs)}${orphanNote}. Press Reserve to hold them.` });
  };

  const afterHold = async (res: ActionState<HoldResult>) => {
    if (res?.ok && res.data) {
      const held = res.data.reservation;
      setReservation(held);
      setServerNow(res.data.serverNow);
      setSelected(new Set());
      setMessage({ tone: "success", text: `Held ${plural(held.quantity, "ticket")} for you. Complete checkout before the timer runs out.` });
    } else if (res && !res.ok) {
      const takenIds = res.failure?.code === "seat_taken" ? res.failure.takenSeatIds : [];
      const taken = takenIds.map((id) => seqById.get(id)).filter((s): s is number => s !== undefined);
      if (taken.length) {
        setFlagged(new Set(taken));
        setSelected((prev) => new Set([...prev].filter((s) => !taken.includes(s))));
      }
      const detail = taken.length ? ` Taken: ${names(taken)}.` : "";
      setMessage({ tone: "error", text: `${res.formError ?? "We could not hold those seats."}${detail}` });
    }
    await refresh();
  };

  const reserve = async (fd: FormData) => afterHold(await holdSeatsAction(null, fd));
  const reserveGa = async (fd: FormData) => afterHold(await holdGeneralAdmissionAction(null, fd));
  const release = async (fd: FormData) => {
    const res = await releaseAction(null, fd);
    if (res?.ok || res?.code === "not_found") {
      setReservation(null);
      setMessage({ tone: "success", text: "Your seats were released. Thanks for letting others have them." });
    } else setMessage({ tone: "error", text: res?.formError ?? "We could not release your seats. Please try again." });
    await refresh();
  };
  const onExpire = () => {
    if (reservation?.status === "PAYMENT") return;
    setReservation(null);
    setMessage({ tone: "error", text: "Your hold has expired and the seats were released. You can pick seats again." });
    void refresh();
    // The server's snapshot may be up to a second old at this instant: look again after it.
    setTimeout(() => void refresh(), 1200);
  };

  const assigned = model.rows.length > 0;
  // A click on a standing area of the map opens its quantity picker (below the map on a phone).
  const openGa = (sectionIndex: number) => {
    const id = model.layout.sections[sectionIndex]?.id;
    if (id) setOpenedGa((o) => ({ id, n: (o?.n ?? 0) + 1 }));
  };
  const gaSections = live.sections.filter((s) => s.kind === "GA");
  const picked = [...selected].map((seq) => ({ seq, id: layout.ids[seq], label: seatLabel(model, seq), priceMinor: priceOf(seq) }));
  const loginHref = `/login?next=${encodeURIComponent(`/events/${event.id}`)}`;
  const remainingForPickers = Math.max(0, event.maxPerOrder - (reservation?.quantity ?? 0));

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="min-w-0 space-y-6">
        <Messages message={message} stale={stale} generatedAt={live.generatedAt} />
        {assigned && (
          <section aria-labelledby="map-title" className="space-y-3">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 id="map-title" className="text-xl font-semibold">
                Choose your seats
              </h2>
              <StateLegend accessible={hasAccessible} />
            </div>
            {hasAccessible && (
              <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
                <input
                  type="checkbox"
                  checked={accessibleOnly}
                  onChange={(e) => setAccessibleOnly(e.target.checked)}
                  className="h-4 w-4 accent-brand-600"
                  data-testid="accessible-filter"
                />
                Show wheelchair spaces and companion seats only
              </label>
            )}
            <SeatMap
              model={model}
              states={live.states}
              mine={mine}
              selected={selected}
              flagged={flagged}
              focus={focus}
              onFocusChange={setFocus}
              onToggle={toggle}
              describe={describe}
              focusRequest={focusRequest}
              accessibleOnly={accessibleOnly}
              onAreaSelect={openGa}
            />
            {event.canBuy && (
              <BestAvailableForm
                model={model}
                sections={live.sections}
                currency={event.currency}
                max={Math.max(1, remainingForPickers)}
                accessible={hasAccessible}
                onFind={findBest}
              />
            )}
            <SeatList
              model={model}
              states={live.states}
              mine={mine}
              selected={selected}
              currency={event.currency}
              onToggle={toggle}
              accessibleOnly={accessibleOnly}
            />
          </section>
        )}
        {gaSections.length > 0 && (
          <section aria-labelledby="ga-title" className="space-y-3">
            <h2 id="ga-title" className="text-xl font-semibold">
              General admission
            </h2>
            {!props.signedIn && event.canBuy && (
              <p className="text-sm text-slate-700">
                <a className="font-semibold text-brand-700 underline" href={loginHref}>
                  Sign in
                </a>{" "}
                or{" "}
                <a className="font-semibold text-brand-700 underline" href={loginHref.replace("/login", "/guest")}>
                  continue as a guest
                </a>{" "}
                to reserve tickets.
              </p>
            )}
            {gaSections.map((s) => (
              <GaPicker
                key={s.id}
                eventId={event.id}
                section={s}
                currency={event.currency}
                max={remainingForPickers}
                canBuy={event.canBuy && props.signedIn && reservation?.status !== "PAYMENT"}
                onSubmit={reserveGa}
                openRequest={openedGa?.id === s.id ? openedGa.n : 0}
              />
            ))}
          </section>
        )}
      </div>
      <aside className="lg:sticky lg:top-4 lg:self-start" aria-label="Your tickets">
        <Basket
          eventId={event.id}
          currency={event.currency}
          signedIn={props.signedIn}
          loginHref={loginHref}
          canBuy={event.canBuy && assigned}
          limitLeft={limitLeft}
          picked={picked}
          onRemove={(seq) => setSelected((prev) => new Set([...prev].filter((s) => s !== seq)))}
          onClear={() => setSelected(new Set())}
          reserve={reserve}
          reservation={reservation}
          serverNow={serverNow}
          onExpire={onExpire}
          release={release}
        />
      </aside>
      {(picked.length > 0 || reservation) && (
        <a
          href="#basket"
          className="fixed inset-x-3 bottom-3 z-20 flex items-center justify-between rounded-xl bg-slate-900 px-4 py-3 text-sm font-semibold text-white shadow-lg lg:hidden"
        >
          <span>{reservation ? `${plural(reservation.quantity, "ticket")} held` : `${plural(picked.length, "seat")} selected`}</span>
          <span>{reservation ? "Checkout ↓" : "Reserve ↓"}</span>
        </a>
      )}
    </div>
  );
}
