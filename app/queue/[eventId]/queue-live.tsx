"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ZonedTime } from "@/components/zoned-time";
import { formatInZone, zoneLabel } from "@/lib/time-zone";

// The live part of the waiting room: joins once (the server keeps the place in a signed
// cookie), then polls the status endpoint as often as it says. On an outage it keeps waiting and
// retries; it never gives up and never lets anyone in by itself — only a pass from the server does.

type View = {
  eventTitle: string;
  admitPerMinute: number;
  admitted: number;
  state: "off" | "not_in_line" | "waiting" | "admitted" | "expired";
  position: number | null;
  aheadOfYou: number | null;
  waiting: number;
  opensAt: string;
  opened: boolean;
  paused: boolean;
  estimatedWaitSeconds: number | null;
  progress: number;
  pollAfterMs: number;
  passExpiresAt: string | null;
  eventUrl: string;
  serverTime: string;
};

const RETRY_MS = [2_000, 5_000, 10_000, 20_000, 30_000];

function formatWait(seconds: number | null): string {
  if (seconds === null) return "paused for now";
  if (seconds < 60) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  return `about ${hours} h ${minutes % 60} min`;
}

type Shown = { position: number; waitSeconds: number | null; progress: number };

/**
 * Between polls the line moves at the admission rate, so the page counts down by itself. What it
 * shows never goes backwards: if the server's figure is behind the local estimate (a lower rate),
 * the display waits for it.
 */
function useShown(view: View | null, receivedAt: number): Shown | null {
  const [now, setNow] = useState(() => Date.now());
  const lowest = useRef<number>(Infinity);
  const moving = view?.state === "waiting" && view.opened && !view.paused;
  useEffect(() => {
    if (!moving) return;
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, [moving]);
  if (!view || view.state !== "waiting" || view.position === null) {
    lowest.current = Infinity; // a new place in line (after an expired session) starts afresh
    return null;
  }
  const admittedPerSecond = view.admitPerMinute / 60;
  const moved = moving ? Math.floor((Math.max(0, now - receivedAt) / 1000) * admittedPerSecond) : 0;
  const position = Math.max(1, Math.min(lowest.current, view.position - moved));
  lowest.current = position;
  const gone = view.position - position; // moved ahead since the server's answer
  const waitSeconds = view.paused || view.estimatedWaitSeconds === null ? null : Math.ceil(position / admittedPerSecond);
  const progress = Math.min(1, Math.max(view.progress, (view.admitted + gone) / (view.admitted + view.position)));
  return { position, waitSeconds, progress };
}

/** `timeZone`: the venue's; times are shown on its clock, labelled, as on the event page. */
export function QueueLive({ eventId, timeZone }: { eventId: string; timeZone: string }) {
  const [view, setView] = useState<View | null>(null);
  const [receivedAt, setReceivedAt] = useState(0);
  const [trouble, setTrouble] = useState(false);
  const failures = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const url = `/api/v1/events/${eventId}/queue`;

  const ask = useCallback(
    async (method: "POST" | "GET") => {
      clearTimeout(timer.current);
      let next: { method: "POST" | "GET"; ms: number } | null = null;
      try {
        const res = await fetch(url, { method, cache: "no-store", credentials: "same-origin" });
        if (!res.ok) throw new Error(String(res.status));
        const v = (await res.json()) as View;
        failures.current = 0;
        setTrouble(false);
        setView(v);
        setReceivedAt(Date.now());
        if (v.state === "off" || v.state === "admitted") setTimeout(() => window.location.assign(v.eventUrl), v.state === "admitted" ? 1_500 : 0);
        else if (v.state === "not_in_line") next = { method: "POST", ms: 0 };
        else if (v.state === "waiting") next = { method: "GET", ms: v.pollAfterMs };
      } catch {
        // Busy or unreachable: keep the visitor here and try again, a little later each time.
        setTrouble(true);
        next = { method: "POST", ms: RETRY_MS[Math.min(failures.current++, RETRY_MS.length - 1)] + Math.random() * 1_000 };
      }
      if (next) {
        const { method: m, ms } = next;
        timer.current = setTimeout(() => void ask(m), ms);
      }
    },
    [url],
  );

  useEffect(() => {
    void ask("POST");
    return () => clearTimeout(timer.current);
  }, [ask]);
  const shown = useShown(view, receivedAt);

  return (
    <section aria-labelledby="queue-status" className="space-y-4 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-8" data-testid="queue">
      <h2 id="queue-status" className="sr-only">
        Your place in line
      </h2>
      {trouble && (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900" data-testid="queue-retrying">
          The waiting room is very busy. Stay on this page: it tries again by itself, and your place is kept.
        </p>
      )}
      {!view && !trouble && <p className="text-slate-700">Finding your place in line…</p>}
      {view && <Place view={view} shown={shown} timeZone={timeZone} onRejoin={() => void ask("POST")} />}
    </section>
  );
}

function Place({ view, shown, timeZone, onRejoin }: { view: View; shown: Shown | null; timeZone: string; onRejoin: () => void }) {
  if (view.state === "admitted") {
    return (
      <div role="status" className="space-y-3" data-testid="queue-admitted">
        <p className="text-xl font-semibold text-emerald-800">It is your turn!</p>
        <p className="text-slate-700">
          Taking you to the tickets now. You can shop until{" "}
          <time dateTime={view.passExpiresAt!}>
            {formatInZone(view.passExpiresAt!, timeZone, { timeOnly: true })} {zoneLabel(view.passExpiresAt!, timeZone)}
          </time>
          .
        </p>
        <a href={view.eventUrl} className="inline-block rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Choose your tickets
        </a>
      </div>
    );
  }
  if (view.state === "expired") {
    return (
      <div role="status" className="space-y-3" data-testid="queue-expired">
        <p className="font-semibold">Your turn to shop has ended.</p>
        <button type="button" onClick={onRejoin} className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Join the queue again
        </button>
      </div>
    );
  }
  if (view.state !== "waiting") return <p className="text-slate-700">One moment…</p>;
  if (!view.opened) {
    return (
      <div className="space-y-2" data-testid="queue-before-opening">
        <p aria-live="polite" className="text-lg font-semibold">
          You are in. The sale opens on <ZonedTime iso={view.opensAt} timeZone={timeZone} />.
        </p>
        <p className="text-slate-700">
          Everyone who arrives before then gets a place by random draw at the opening, so there is no need to refresh. {view.waiting.toLocaleString()}{" "}
          {view.waiting === 1 ? "person is" : "people are"} waiting.
        </p>
      </div>
    );
  }
  const percent = Math.round((shown?.progress ?? view.progress) * 100);
  return (
    <div className="space-y-4">
      <p aria-live="polite" className="text-lg" data-testid="queue-position">
        You are number <strong className="text-2xl">{(shown?.position ?? view.position!).toLocaleString()}</strong> in line.
      </p>
      <div
        role="progressbar"
        aria-label="Progress through the line"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-3 overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-slate-700" data-testid="queue-wait">
        {view.paused
          ? "Admission is paused for a moment by the organizer. You keep your place."
          : `Estimated wait: ${formatWait(shown ? shown.waitSeconds : view.estimatedWaitSeconds)}.`}
      </p>
      <p className="text-sm text-slate-600">This page updates by itself. When it is your turn, it takes you to the tickets.</p>
    </div>
  );
}
