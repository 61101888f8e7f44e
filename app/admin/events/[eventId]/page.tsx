import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DashboardLive } from "@/components/admin/dashboard-live";
import { PublishButton } from "@/components/admin/publish-button";
import { StatusBadge } from "@/components/admin/status-badge";
import { ZonedTime } from "@/components/zoned-time";
import { linkButton } from "@/components/admin/link-button";
import { Notice } from "@/components/ui/form";
import { WaitingRoomPanel } from "@/components/waiting-room/room-panel";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { getHouseLayout, getHouseSeats } from "@/lib/dashboard/house";
import { getEventDashboard } from "@/lib/dashboard/stats";
import { publishEventAction } from "../actions";
import { updateWaitingRoomAction, waitingRoomStatsAction } from "../waiting-room-actions";

export const metadata: Metadata = { title: "Event dashboard" };

type Search = { created?: string; saved?: string; cancelled?: string; published?: string };

export default async function EventDashboardPage({ params, searchParams }: { params: Promise<{ eventId: string }>; searchParams: Promise<Search> }) {
  const { eventId } = await params;
  const actor = await requirePageActor(`/admin/events/${eventId}`, STAFF_ROLES);
  const dashboard = await getEventDashboard(actor, eventId);
  if (!dashboard) notFound();
  const { event } = dashboard;
  const [layout, seats] = await Promise.all([getHouseLayout(actor, event.id), getHouseSeats(event.id, event.published)]);
  const q = await searchParams;
  const closed = event.status === "CANCELLED" || event.status === "COMPLETED";
  return (
    <div className="space-y-6">
      <Link href="/admin" className="text-sm font-semibold text-brand-700 underline">
        ← All events
      </Link>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-1">
          <h1 className="text-2xl font-bold">{event.title}</h1>
          <p className="text-sm text-slate-700">
            <StatusBadge status={event.status} published={event.published} /> · <ZonedTime iso={event.startsAt} timeZone={event.timeZone} /> · {event.venueName}
          </p>
          {event.published && !closed && (
            <Link href={`/events/${event.id}`} className="text-sm text-brand-700 underline">
              View the public page
            </Link>
          )}
        </div>
        <nav aria-label="Event actions" className="flex flex-wrap items-start gap-2">
          {!event.published && !closed && <PublishButton action={publishEventAction} eventId={event.id} />}
          {!closed && (
            <Link href={`/admin/events/${event.id}/edit`} className={linkButton("secondary")}>
              Edit
            </Link>
          )}
          {!closed && (
            <Link href={`/admin/events/${event.id}/ticket-types`} className={linkButton("secondary")}>
              Ticket types
            </Link>
          )}
          {!closed && (
            <Link href={`/admin/events/${event.id}/seats`} className={linkButton("secondary")}>
              House seats
            </Link>
          )}
          {!closed && event.published && (
            <Link href={`/admin/events/${event.id}/box-office`} className={linkButton("secondary")}>
              Box office
            </Link>
          )}
          <Link href={`/admin/events/${event.id}/dates`} className={linkButton("secondary")}>
            Dates
          </Link>
          <Link href={`/admin/events/${event.id}/bookings`} className={linkButton("secondary")}>
            Bookings and refunds
          </Link>
          <Link href={`/admin/events/${event.id}/promo-codes`} className={linkButton("secondary")}>
            Discount codes
          </Link>
          <Link href={`/admin/events/${event.id}/waitlist`} className={linkButton("secondary")}>
            Waiting list
          </Link>
          {/* A full page load: the check-in page's camera permission is granted per document. */}
          <a href={`/admin/events/${event.id}/check-in`} className={linkButton("secondary")}>
            Check-in
          </a>
          <a href={`/admin/events/${event.id}/export/attendees`} className={linkButton("secondary")} download>
            Export attendees (CSV)
          </a>
          <a href={`/admin/events/${event.id}/export/bookings`} className={linkButton("secondary")} download>
            Export bookings (CSV)
          </a>
          {!closed && (
            <Link href={`/admin/events/${event.id}/cancel`} className={linkButton("danger")}>
              Cancel event
            </Link>
          )}
        </nav>
      </header>
      {q.created && <Notice>Event created{event.published ? " and published" : " as a draft: publish it when you are ready"}.</Notice>}
      {q.saved && <Notice>Changes saved.</Notice>}
      {q.published && event.published && <Notice>Published: customers can now see this event.</Notice>}
      {q.cancelled !== undefined && (
        <Notice>
          Event cancelled. {q.cancelled} booking{q.cancelled === "1" ? "" : "s"} cancelled and refunded.
        </Notice>
      )}
      {!event.published && !closed && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Draft: customers cannot see this event until you publish it.
        </p>
      )}
      <DashboardLive initial={{ dashboard, seats }} layout={layout} />
      {!closed && <WaitingRoomPanel actor={actor} eventId={event.id} actions={{ update: updateWaitingRoomAction, stats: waitingRoomStatsAction }} />}
    </div>
  );
}
