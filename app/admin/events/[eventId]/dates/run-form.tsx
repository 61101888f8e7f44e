"use client";
import { useActionState, useEffect, useState } from "react";
import { buttonStyles } from "@/components/button-styles";
import type { ActionState } from "@/lib/actions";

// The dates to add, each a date-and-time in the organizer's own zone (sent as exact instants),
// prefilled with the days after the original at its time of day.

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;

function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function RunForm({ eventId, startsAt, action }: { eventId: string; startsAt: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, null);
  const [dates, setDates] = useState<string[]>([]);
  useEffect(() => {
    const first = new Date(startsAt);
    setDates([1, 2, 3].map((k) => toLocalInput(new Date(first.getTime() + k * 86_400_000))));
  }, [startsAt]);
  const iso = (local: string) => {
    const d = new Date(local);
    return local && !Number.isNaN(d.getTime()) ? d.toISOString() : "";
  };
  const errors = state && !state.ok ? [state.formError, ...Object.values(state.fieldErrors ?? {}).flat()].filter(Boolean) : [];
  return (
    <form action={formAction} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="run-form">
      <input type="hidden" name="eventId" value={eventId} />
      <ol className="space-y-2">
        {dates.map((d, i) => (
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
            <input type="hidden" name="dates[]" value={iso(d)} />
            <button type="button" onClick={() => setDates((list) => list.filter((_, j) => j !== i))} className="text-sm text-red-700 underline">
              Remove
            </button>
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={() =>
            setDates((list) => {
              const last = list.length ? new Date(list[list.length - 1]) : new Date(startsAt);
              return [...list, toLocalInput(new Date(last.getTime() + 86_400_000))];
            })
          }
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
