import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { eventGradient } from "@/components/format";
import { formatPriceRange } from "@/lib/money";
import { ZonedTime } from "@/components/zoned-time";
import { PriceLegend } from "@/components/seatmap/legend";
import { StatusBadge } from "@/components/events/status-badge";
import { actorFromSession } from "@/lib/auth/actor";
import { getEventDetail } from "@/lib/events/queries";
import { CancellationNote } from "@/components/events/cancellation-note";
import { listReservations } from "@/lib/holds";
import { getInventoryEncoded, getSeatLayoutEncoded } from "@/lib/inventory";
import { layoutView, sectionsToCut, snapshotView } from "@/lib/inventory/visible";
import { compactLayout } from "@/lib/seatmap/compact";
import { queueRedirect } from "@/lib/waiting-room/cookies";
import { listSeriesDates } from "@/lib/series/read";
import { getMyWaitlistEntry } from "@/lib/waitlist/read";
import { myAccessGrant } from "@/lib/promo-codes/access";
import { unlockPresaleAction } from "./access-actions";
import { AccessCodeForm } from "./access-code-form";
import { Shop } from "./shop";
import { joinWaitlistAction, leaveWaitlistAction } from "./waitlist-actions";
import { WaitlistPanel } from "./waitlist-panel";

// The event page. Everything the seat map needs (layout, first inventory snapshot, the
// visitor's open reservation) is read here in parallel and sent with the page, so the map draws
// without waiting for a client fetch.

type Params = { params: Promise<{ eventId: string }> };

const load = cache(async (eventId: string) => {
  const actor = await actorFromSession();
  const event = await getEventDetail(eventId, actor);
  return { actor, event };
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { event } = await load((await params).eventId);
  return { title: event?.title ?? "Event not found", description: event?.description.slice(0, 160) };
}

export default async function EventPage({ params }: Params) {
  const { eventId } = await params;
  const { actor, event } = await load(eventId);
  if (!event) notFound();
  // While the event's waiting room is on, visitors without an admission pass wait in line first.
  const queue = await queueRedirect(eventId);
  if (queue) redirect(queue);
  const [fullLayout, fullSnapshot, reservations, waitlistEntry, dates, grant] = await Promise.all([
    getSeatLayoutEncoded(eventId),
    getInventoryEncoded(eventId),
    actor ? listReservations(actor, { eventId }) : Promise.resolve([]),
    actor ? getMyWaitlistEntry(actor, eventId) : Promise.resolve(null),
    listSeriesDates(event.seriesId, { publishedOnly: true }),
    actor && event.status === "UPCOMING" ? myAccessGrant(actor, eventId) : Promise.resolve(null),
  ]);
  // Hidden sections this visitor may not see are cut from the cached copies (docs/promo-codes.md).
  const cut = fullLayout ? await sectionsToCut(event.id, fullLayout.layout, async () => (actor ? { userId: actor.id } : null)) : null;
  const layout = fullLayout ? layoutView(fullLayout, cut).layout : null;
  const snapshot = fullSnapshot && fullLayout ? snapshotView(fullSnapshot, fullLayout.layout, cut).snapshot : null;
  const status = snapshot?.status ?? event.status;
  // The snapshot carries the database clock; the sale window is judged by it, not the app's.
  const now = snapshot?.generatedAt ?? new Date().toISOString();
  const saleClosed = status === "ON_SALE" && Date.parse(event.saleEndsAt) <= Date.parse(now);
  // Before the public sale, a customer who entered an access code buys in the presale (docs/promo-codes.md).
  const presale = status === "UPCOMING" && !!grant?.presaleOpen;
  const canBuy = (status === "ON_SALE" && !saleClosed) || presale;
  const notice = presale
    ? {
        text: `Presale: your access code ${grant!.code} lets you buy now, before the public sale opens`,
        tone: "border-emerald-300 bg-emerald-50 text-emerald-900",
        when: event.saleStartsAt,
      }
    : saleNotice(saleClosed ? "SALE_CLOSED" : status, event.saleStartsAt);
  const legend = event.sections.map((s) => ({ ...s, available: snapshot?.sections.find((x) => x.id === s.id)?.available ?? 0 }));

  return (
    <article className="space-y-8 pb-20 lg:pb-0">
      <header className="overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm">
        <div className="relative h-40 sm:h-56" style={event.imageUrl ? undefined : { background: eventGradient(event.id) }}>
          {event.imageUrl && (
            // eslint-disable-next-line @next/next/no-img-element
            <img src={event.imageUrl} alt="" className="h-full w-full object-cover" />
          )}
        </div>
        <div className="grid gap-6 p-5 sm:p-8 md:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
          <div className="space-y-3">
            <StatusBadge event={{ ...event, status }} />
            <h1 className="text-3xl font-bold tracking-tight">{event.title}</h1>
            <dl className="grid gap-x-4 gap-y-1 text-sm text-slate-800 sm:grid-cols-[auto_1fr]">
              <dt className="font-medium text-slate-600">When</dt>
              <dd data-testid="event-when">
                <ZonedTime iso={event.startsAt} timeZone={event.timeZone} yours /> – <ZonedTime iso={event.endsAt} timeZone={event.timeZone} />
              </dd>
              <dt className="font-medium text-slate-600">Where</dt>
              <dd>
                {event.venueName}
                {event.venueAddress && <span className="text-slate-700">, {event.venueAddress}</span>}
              </dd>
              <dt className="font-medium text-slate-600">On sale</dt>
              <dd>
                <ZonedTime iso={event.saleStartsAt} timeZone={event.timeZone} /> until <ZonedTime iso={event.saleEndsAt} timeZone={event.timeZone} />
              </dd>
              <dt className="font-medium text-slate-600">Prices</dt>
              <dd>
                {formatPriceRange(event.minPriceMinor, event.maxPriceMinor, event.currency)} · up to {event.maxPerOrder} per order
                {event.maxPerCustomer !== null && <> · at most {event.maxPerCustomer} per customer in all</>}
              </dd>
            </dl>
            <CancellationNote policy={event.cancellationPolicy} startsAt={event.startsAt} />
            {event.description && <p className="max-w-prose whitespace-pre-line text-slate-800">{event.description}</p>}
            {dates.length > 1 && (
              <nav aria-label="All dates of this show" className="space-y-1" data-testid="series-nav">
                <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-700">All dates</h2>
                <ul className="flex flex-wrap gap-2">
                  {dates.map((d) => (
                    <li key={d.id}>
                      {d.id === event.id ? (
                        <span
                          aria-current="page"
                          className="inline-block rounded-md border border-brand-600 bg-brand-50 px-3 py-1 text-sm font-semibold text-brand-700"
                        >
                          <ZonedTime iso={d.startsAt} timeZone={event.timeZone} />
                        </span>
                      ) : (
                        <a
                          href={`/events/${d.id}`}
                          className="inline-block rounded-md border border-slate-300 bg-white px-3 py-1 text-sm text-slate-800 hover:bg-slate-50"
                        >
                          <ZonedTime iso={d.startsAt} timeZone={event.timeZone} />
                          {d.status === "SOLD_OUT" ? " · sold out" : d.status === "CANCELLED" ? " · cancelled" : ""}
                        </a>
                      )}
                    </li>
                  ))}
                </ul>
              </nav>
            )}
          </div>
          <div className="space-y-2">
            <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-700">Prices</h2>
            <PriceLegend sections={legend} currency={event.currency} />
          </div>
        </div>
      </header>

      {notice && (
        <p role="status" className={`rounded-lg border px-4 py-3 font-medium ${notice.tone}`} data-testid="sale-notice">
          {notice.text}
          {notice.when && (
            <>
              {" "}
              <ZonedTime iso={notice.when} timeZone={event.timeZone} />.
            </>
          )}
        </p>
      )}

      {status === "UPCOMING" && !presale && actor ? (
        <AccessCodeForm action={unlockPresaleAction} eventId={event.id} purpose="presale" />
      ) : (
        // Sections kept for access-code holders: the form says nothing of what it may unlock.
        cut && actor && status === "ON_SALE" && <AccessCodeForm action={unlockPresaleAction} eventId={event.id} purpose="sections" />
      )}

      {((status === "SOLD_OUT" && !saleClosed) || waitlistEntry?.status === "WAITING" || waitlistEntry?.status === "OFFERED") && (
        <WaitlistPanel
          eventId={event.id}
          signedIn={!!actor}
          loginHref={`/login?next=${encodeURIComponent(`/events/${event.id}`)}`}
          maxPerOrder={event.maxPerOrder}
          sections={event.sections.map((s) => ({ id: s.id, name: s.name }))}
          entry={waitlistEntry?.status === "WAITING" || waitlistEntry?.status === "OFFERED" ? waitlistEntry : null}
          joinAction={joinWaitlistAction}
          leaveAction={leaveWaitlistAction}
        />
      )}

      {layout && snapshot && status !== "CANCELLED" ? (
        <Shop
          key={cut?.key ?? "all"} // another view (an access code just entered): the map starts afresh
          event={{ id: event.id, title: event.title, currency: event.currency, maxPerOrder: event.maxPerOrder, canBuy }}
          layout={compactLayout(layout)}
          snapshot={snapshot}
          reservation={reservations[0] ?? null}
          serverNow={snapshot.generatedAt}
          signedIn={!!actor}
        />
      ) : (
        !notice && <p className="text-slate-700">Seat selection opens once this event is published.</p>
      )}
    </article>
  );
}

function saleNotice(status: string, saleStartsAt: string): { text: string; tone: string; when?: string } | null {
  switch (status) {
    case "CANCELLED":
      return { text: "This event has been cancelled. Every ticket was refunded to the card it was paid with.", tone: "border-red-300 bg-red-50 text-red-900" };
    case "COMPLETED":
      return { text: "This event has ended. Have a look at what else is coming up.", tone: "border-slate-300 bg-slate-100 text-slate-800" };
    case "SOLD_OUT":
      return {
        text: "Sold out. Places held by others may come back if their hold runs out; people on the waiting list get them first, in order.",
        tone: "border-amber-300 bg-amber-50 text-amber-900",
      };
    case "UPCOMING":
      return { text: "Tickets are not on sale yet. Sale opens", tone: "border-sky-300 bg-sky-50 text-sky-900", when: saleStartsAt };
    case "SALE_CLOSED":
      return { text: "Ticket sales for this event have closed.", tone: "border-slate-300 bg-slate-100 text-slate-800" };
    default:
      return null;
  }
}
