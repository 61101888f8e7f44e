"use client";
import { useEffect, useId, useRef } from "react";
import { SubmitButton } from "@/components/ui/button";
import { formatMoney } from "@/lib/money";
import type { SnapshotSection } from "@/lib/seatmap/types";

// One quantity picker per general-admission section, with live availability. A click on the
// section's area on the seat map opens it: it scrolls into view, lights up and takes the focus
// (the quantity when there is one to choose), each time `openRequest` changes.

export function GaPicker({
  eventId,
  section,
  currency,
  max,
  canBuy,
  onSubmit,
  openRequest = 0,
}: {
  eventId: string;
  section: SnapshotSection;
  currency: string;
  max: number;
  canBuy: boolean;
  onSubmit: (fd: FormData) => Promise<void>;
  openRequest?: number;
}) {
  const id = useId();
  const limit = Math.min(max, section.available);
  const box = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!openRequest || !box.current) return;
    box.current.scrollIntoView({ block: "center", behavior: "smooth" });
    (box.current.querySelector<HTMLElement>("select") ?? box.current).focus({ preventScroll: true });
  }, [openRequest]);
  return (
    <form
      ref={box}
      action={onSubmit}
      tabIndex={-1}
      aria-label={`${section.name}: general admission`}
      className={`flex flex-wrap items-end gap-3 rounded-lg border bg-white p-4 outline-none ${openRequest ? "border-brand-600 ring-2 ring-brand-600" : "border-slate-200"}`}
      data-testid={`ga-${section.name}`}
      data-opened={openRequest ? "true" : undefined}
    >
      <input type="hidden" name="eventId" value={eventId} />
      <input type="hidden" name="sectionId" value={section.id} />
      <div className="min-w-40 flex-1">
        <p className="flex items-center gap-2 font-semibold text-slate-900">
          <span aria-hidden="true" className="h-3.5 w-3.5 rounded-sm" style={{ background: section.color }} />
          {section.name}
        </p>
        <p className="text-sm text-slate-700">
          {section.priceMinor === 0 ? "Free" : formatMoney(section.priceMinor, currency)} ·{" "}
          <span data-testid="ga-available">{section.available > 0 ? `${section.available.toLocaleString("en")} left` : "Sold out"}</span>
        </p>
      </div>
      {section.available > 0 && canBuy && (
        <>
          <div className="w-28 space-y-1">
            <label htmlFor={`${id}-q`} className="block text-sm font-medium text-slate-800">
              Tickets
            </label>
            <select
              id={`${id}-q`}
              name="quantity"
              defaultValue={1}
              disabled={limit < 1}
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2"
            >
              {Array.from({ length: Math.max(1, limit) }, (_, i) => i + 1).map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </div>
          <SubmitButton pendingText="Reserving…" disabled={limit < 1}>
            Reserve
          </SubmitButton>
        </>
      )}
    </form>
  );
}
