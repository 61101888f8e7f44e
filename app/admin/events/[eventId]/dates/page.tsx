import type { Metadata } from "next";
import Link from "next/link";
import { ZonedTime } from "@/components/zoned-time";
import { requireManagedEventPage } from "@/lib/auth/guards";
import { listSeriesDates } from "@/lib/series/read";
import { createRunAction } from "./actions";
import { RunForm } from "./run-form";

export const metadata: Metadata = { title: "Dates" };

// A run of the same show: this event's other dates, and copies at new dates (details, sections,
// layouts, wheelchair spaces and prices). Customers see the dates grouped.

export default async function DatesPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  const { event } = await requireManagedEventPage(`/admin/events/${eventId}/dates`, eventId);
  const dates = await listSeriesDates(event.seriesId, { publishedOnly: false, includePast: true });
  return (
    <div className="space-y-6">
      <Link href={`/admin/events/${event.id}`} className="text-sm font-semibold text-brand-700 underline">
        ← {event.title}
      </Link>
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Dates</h1>
        <p className="max-w-prose text-sm text-slate-700">
          Copy this event to other dates: each copy gets the same details, sections, seat layouts and prices, its own places and its own sales. The end and the
          end of sales move with the start; sales open when this event&apos;s do. Customers see all dates of the show together.
        </p>
      </header>
      {dates.length > 0 && (
        <section aria-labelledby="dates-h" className="space-y-2">
          <h2 id="dates-h" className="text-lg font-semibold">
            All dates of this show
          </h2>
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="series-dates-list">
            {dates.map((d) => (
              <li key={d.id} className="flex items-center justify-between px-3 py-2 text-sm">
                <Link href={`/admin/events/${d.id}`} className="text-brand-700 underline">
                  <ZonedTime iso={d.startsAt} timeZone={event.timeZone} />
                </Link>
                <span className="text-slate-700">
                  {d.published ? d.status.toLowerCase().replace("_", " ") : "draft"}
                  {d.id === event.id ? " · this one" : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {event.status !== "CANCELLED" && (
        <section aria-labelledby="add-h" className="space-y-2">
          <h2 id="add-h" className="text-lg font-semibold">
            Add dates
          </h2>
          <RunForm eventId={event.id} startsAt={event.startsAt.toISOString()} timeZone={event.timeZone} action={createRunAction} />
        </section>
      )}
    </div>
  );
}
