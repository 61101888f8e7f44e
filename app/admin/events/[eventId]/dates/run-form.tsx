"use client";
import { useActionState, useState } from "react";
import { buttonStyles } from "@/components/button-styles";
import type { ActionState } from "@/lib/actions";
import { addWallDays, fromWallInput, toWallInput, zoneLabel } from "@/lib/time-zone";

// The dates to add, each a date-and-time on the venue's clock (`timeZone`, the event's) like
// every time of the event, sent as exact instants; prefilled with the days after the original
// at its time of day on that clock (a change of clocks in between keeps 19:30 at 19:30). The
// defaults come from the instant and the zone alone, so the server and the browser render them
// alike.

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;

export function RunForm({ eventId, startsAt, timeZone, action }: { eventId: string; startsAt: string; timeZone: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, null);
  const [dates, setDates] = useState<string[]>(() => [1, 2, 3].map((k) => addWallDays(toWallInput(startsAt, timeZone), k)));
  const instant = (wall: string) => (wall ? fromWallInput(wall, timeZone) : null);
  const errors = state && !state.ok ? [state.formError, ...Object.values(state.fieldErrors ?? {}).flat()].filter(Boolean) : [];
  return (
    <form action={formAction} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="run-form">
      <input type="hidden" name="eventId" value={eventId} />
      <p className="text-sm text-slate-700">On the venue&apos;s clock: {timeZone}.</p>
      <ol className="space-y-2">
        {dates.map((d, i) => {
          const at = instant(d);
          return (
            <li key={i} className="flex flex-wrap items-center gap-2">
              <label htmlFor={`date-${i}`} className="w-20 text-sm font-medium text-slate-800">
                Date {i + 1}
              </label>
              <input
                id={`date-${i}`}
                type="datetime-local"
                value={d}
                onChange={(e) => setDates((list) => list.map((x, j) => (j === i ? e.target.value : x)))}
                className="rounded-md border border-slate-300 px-3 py-1.5"
              />
              <span className="text-xs text-slate-600" data-testid="run-date-zone">
                {at ? zoneLabel(at, timeZone) : ""}
              </span>
              <input type="hidden" name="dates[]" value={at ? at.toISOString() : ""} />
              <button type="button" onClick={() => setDates((list) => list.filter((_, j) => j !== i))} className="text-sm text-red-700 underline">
                Remove
              </button>
            </li>
          );
        })}
      </ol>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={() => setDates((list) => [...list, addWallDays(list.length ? list[list.length - 1] : toWallInput(startsAt, timeZone), 1)])}
          className={buttonStyles("secondary")}
        >
          + Add a date
        </button>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="publish" className="h-4 w-4 accent-brand-600" /> Publish them now
        </label>
        <button type="submit" disabled={pending || dates.length === 0} className={buttonStyles("primary")}>
          {pending ? "Creating…" : `Create ${dates.length} date${dates.length === 1 ? "" : "s"}`}
        </button>
      </div>
      {state && (
        <p role={state.ok ? "status" : "alert"} data-testid="run-outcome" className={`text-sm ${state.ok ? "text-emerald-900" : "text-red-800"}`}>
          {state.ok ? state.message : errors.join(" ")}
        </p>
      )}
    </form>
  );
}
