"use client";

import { useActionState, useEffect, useState } from "react";
import { Field, FormError, Input, Notice } from "@/components/ui/form";
import { SubmitButton } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions";
import type { RoomStats } from "@/lib/waiting-room/stats";

// Settings (on/off, admission rate, session length, pause) and the live line: how many wait,
// how fast they are let in, and when the line will be clear. Polls every few seconds while visible.

const POLL_MS = 4_000;

function clearIn(seconds: number | null): string {
  if (seconds === null) return "paused";
  if (seconds === 0) return "clear";
  if (seconds < 60) return `${seconds} s`;
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

type RoomAction = (prev: ActionState<RoomStats>, formData: FormData) => Promise<ActionState<RoomStats>>;
/** The server actions the page hands down (app/admin/events/waiting-room-actions.ts). */
export type RoomActions = { update: RoomAction; stats: RoomAction };

export function RoomControls({ eventId, initial, actions }: { eventId: string; initial: RoomStats; actions: RoomActions }) {
  const [stats, setStats] = useState(initial);
  const [state, formAction] = useActionState(actions.update, null);
  const [pauseState, pauseAction] = useActionState(actions.update, null);

  useEffect(() => {
    for (const s of [state, pauseState]) if (s?.ok && s.data) setStats(s.data);
  }, [state, pauseState]);

  useEffect(() => {
    let stopped = false;
    const timer = setInterval(async () => {
      if (document.hidden) return;
      const fd = new FormData();
      fd.set("eventId", eventId);
      const r = await actions.stats(null, fd).catch(() => null);
      if (!stopped && r?.ok && r.data) setStats(r.data);
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [eventId, actions]);

  const values = state && !state.ok ? state.values : undefined;
  const live = stats.live;
  return (
    <section aria-labelledby="waiting-room-title" className="space-y-4 rounded-xl border border-slate-200 bg-white p-5" data-testid="waiting-room-panel">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="waiting-room-title" className="text-lg font-semibold">
          Waiting room
        </h2>
        <p className="text-sm text-slate-700" data-testid="waiting-room-state">
          {!stats.enabled ? "Off" : stats.paused ? "On · admission paused" : `On · admitting ${stats.admitPerMinute.toLocaleString()} per minute`}
        </p>
      </div>

      {stats.enabled && (
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-4" aria-live="off">
          <Stat label="In line" value={live ? live.waiting.toLocaleString() : "—"} id="wr-waiting" />
          <Stat label="Admitted" value={live ? live.admitted.toLocaleString() : "—"} id="wr-admitted" />
          <Stat label="Admission rate" value={`${stats.admitPerMinute.toLocaleString()}/min`} id="wr-rate" />
          <Stat label="Clear in" value={live ? clearIn(live.estimatedSecondsToClear) : "—"} id="wr-clear" />
        </dl>
      )}
      {stats.enabled && !live && (
        <p className="text-sm text-amber-800">Live figures are unavailable right now (Redis cannot be reached); nobody new is admitted meanwhile.</p>
      )}

      {stats.enabled && (
        <form action={pauseAction}>
          <input type="hidden" name="eventId" value={eventId} />
          <input type="hidden" name="enabled" value="on" />
          <input type="hidden" name="admitPerMinute" value={stats.admitPerMinute} />
          <input type="hidden" name="sessionMinutes" value={stats.sessionMinutes} />
          {!stats.paused && <input type="hidden" name="paused" value="on" />}
          <SubmitButton variant="secondary" pendingText="Saving…">
            {stats.paused ? "Resume admission" : "Pause admission"}
          </SubmitButton>
        </form>
      )}

      <form action={formAction} className="grid gap-4 sm:grid-cols-2" key={`${stats.enabled}-${stats.paused}-${stats.admitPerMinute}-${stats.sessionMinutes}`}>
        <input type="hidden" name="eventId" value={eventId} />
        <label className="flex items-center gap-2 text-sm font-medium sm:col-span-2">
          <input type="checkbox" name="enabled" defaultChecked={values ? values.enabled === "on" : stats.enabled} />
          Send visitors through a waiting room before they can hold seats
        </label>
        <Field
          label="Admit per minute"
          name="admitPerMinute"
          errors={state && !state.ok ? state.fieldErrors?.admitPerMinute : undefined}
          hint="How many customers are let in each minute."
        >
          <Input name="admitPerMinute" type="number" min={1} max={100000} required defaultValue={values?.admitPerMinute ?? stats.admitPerMinute} />
        </Field>
        <Field
          label="Session length (minutes)"
          name="sessionMinutes"
          errors={state && !state.ok ? state.fieldErrors?.sessionMinutes : undefined}
          hint="How long an admitted customer may hold seats."
        >
          <Input name="sessionMinutes" type="number" min={1} max={120} required defaultValue={values?.sessionMinutes ?? stats.sessionMinutes} />
        </Field>
        <label className="flex items-center gap-2 text-sm font-medium sm:col-span-2">
          <input type="checkbox" name="paused" defaultChecked={values ? values.paused === "on" : stats.paused} />
          Pause admission (everyone keeps their place)
        </label>
        <div className="space-y-2 sm:col-span-2">
          <FormError message={state && !state.ok ? state.formError : undefined} />
          {state?.ok && state.message && <Notice>{state.message}</Notice>}
          <SubmitButton pendingText="Saving…">Save waiting room</SubmitButton>
        </div>
      </form>
    </section>
  );
}

function Stat({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div className="rounded-lg border border-slate-200 p-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="text-xl font-semibold" data-testid={id}>
        {value}
      </dd>
    </div>
  );
}
