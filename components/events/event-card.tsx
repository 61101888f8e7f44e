import Link from "next/link";
import { ZonedTime } from "@/components/zoned-time";
import type { EventSummary } from "@/lib/events/queries";
import { eventGradient } from "../format";
import { formatPriceRange } from "@/lib/money";
import { StatusBadge } from "./status-badge";

export function EventCard({ event }: { event: EventSummary }) {
  const muted = event.status === "CANCELLED" || event.status === "COMPLETED";
  return (
    <li
      className="group relative flex flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm transition focus-within:ring-4 focus-within:ring-brand-600 hover:shadow-md"
      data-testid="event-card"
    >
      <div className="relative h-36 w-full" style={event.imageUrl ? undefined : { background: eventGradient(event.id) }}>
        {event.imageUrl && (
          // Organizer-supplied URLs from any host: a plain img avoids an image-optimiser allowlist.
          // eslint-disable-next-line @next/next/no-img-element
          <img src={event.imageUrl} alt="" className={`h-full w-full object-cover ${muted ? "grayscale" : ""}`} loading="lazy" />
        )}
        <div className="absolute left-3 top-3">
          <StatusBadge event={event} />
        </div>
      </div>
      <div className="flex flex-1 flex-col gap-1 p-4">
        <h2 className="text-lg font-semibold leading-snug text-slate-900">
          <Link href={`/events/${event.id}`} className="after:absolute after:inset-0 focus-visible:outline-none group-hover:underline">
            {event.title}
          </Link>
        </h2>
        <p className="text-sm text-slate-700">
          <ZonedTime iso={event.startsAt} timeZone={event.timeZone} />
          {event.seriesDates > 1 && (
            <span className="ml-2 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-700" data-testid="series-dates">
              {event.seriesDates} dates
            </span>
          )}
        </p>
        <p className="text-sm text-slate-700">{event.venueName}</p>
        <p className="mt-auto pt-2 text-sm font-semibold text-slate-900" data-testid="price-range">
          {event.status === "CANCELLED" ? (
            <span className="text-red-800">Cancelled — tickets refunded</span>
          ) : (
            formatPriceRange(event.minPriceMinor, event.maxPriceMinor, event.currency)
          )}
        </p>
      </div>
    </li>
  );
}
