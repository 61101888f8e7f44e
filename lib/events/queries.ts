import { and, asc, desc, eq, gt, ilike, isNotNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { db, type Db } from "@/db";
import { replicaRead } from "@/db/replicas";
import { eventSections, events, type Event } from "@/db/schema";
import { visibleHiddenSections } from "@/lib/promo-codes/hidden";
import { STAFF_ROLES, type Actor } from "@/lib/auth/roles";
import { knownAbsent, rememberAbsent } from "@/lib/absent-ids";
import { canonicalUuid } from "@/lib/ids";
import { mayManageEvent } from "@/lib/auth/event-access";
import { publicTicketTypes, type PublicTicketType } from "@/lib/ticket-types/read";
import { policyOf } from "@/lib/refunds/policy-rules";
import type { CancellationPolicy } from "@/lib/refunds/schemas";

// Read-side queries for customers (website and REST API share them). Only published events are
// visible to the public; filters are the storefront's tabs. What the public browses may be up
// to a second old, so it is read from a replica when one is configured (db/replicas.ts); staff,
// who edit events, read the primary and see their own changes at once.

export const EVENT_FILTERS = ["on_sale", "upcoming", "past", "free"] as const;
export type EventFilter = (typeof EVENT_FILTERS)[number];

export type EventSummary = {
  id: string;
  title: string;
  imageUrl: string | null;
  startsAt: string;
  endsAt: string;
  saleStartsAt: string;
  saleEndsAt: string;
  status: Event["status"];
  venueName: string;
  venueAddress: string;
  timeZone: string; // the venue's IANA zone: every time of the event is shown on its clock
  currency: string;
  minPriceMinor: number;
  maxPriceMinor: number;
  capacity: number;
  seriesId: string | null;
  seriesDates: number; // published dates of the series not ended yet (1 for a single event)
};

export type EventDetail = EventSummary & {
  description: string;
  holdSeconds: number;
  maxPerOrder: number;
  maxPerCustomer: number | null;
  organizerId: string;
  venueId: string | null;
  publishedAt: string | null;
  waitingRoom: boolean;
  version: number;
  /** The sections this viewer may see; `hidden`: offered only to holders of an access code naming it (docs/promo-codes.md). */
  sections: { id: string; name: string; kind: "ASSIGNED" | "GA"; capacity: number; priceMinor: number; color: string; hidden: boolean }[];
  /** Price categories offered now, with their price per section ([]: each section sells at its own price). */
  ticketTypes: PublicTicketType[];
  cancellationPolicy: CancellationPolicy;
};

// Lists show the prices of the sections everyone sees (hidden ones: docs/promo-codes.md).
const priceRange = {
  minPriceMinor: sql<number>`(select coalesce(min(price_minor), 0)::int from event_sections s where s.event_id = "events"."id" and not s.hidden)`,
  maxPriceMinor: sql<number>`(select coalesce(max(price_minor), 0)::int from event_sections s where s.event_id = "events"."id" and not s.hidden)`,
  seriesDates: sql<number>`(case when "events"."series_id" is null then 1 else (select count(*)::int from events x
    where x.series_id = "events"."series_id" and x.published_at is not null and x.ends_at > now()) end)`,
};

// Lists count the places of the sections everyone sees.
const publicCapacity = sql<number>`(select coalesce(sum(capacity), 0)::int from event_sections s where s.event_id = "events"."id" and not s.hidden)`;

/**
 * A series shows once in lists: by the date that fits the filter best (the next one not ended,
 * else the latest; for past events the latest past one). The same filter as filterWhere, on x.
 */
function seriesRepresentative(filter: EventFilter | undefined): SQL {
  const fits =
    filter === "on_sale"
      ? sql`x.status = 'ON_SALE' AND x.sale_starts_at <= now() AND x.sale_ends_at > now()`
      : filter === "upcoming"
        ? sql`x.starts_at > now() AND x.status <> 'CANCELLED'`
        : filter === "past"
          ? sql`(x.ends_at <= now() OR x.status = 'COMPLETED')`
          : filter === "free"
            ? sql`x.ends_at > now() AND NOT EXISTS (SELECT 1 FROM event_sections s WHERE s.event_id = x.id AND s.price_minor > 0 AND NOT s.hidden)`
            : sql`true`;
  const order = filter === "past" ? sql`x.starts_at DESC` : sql`(x.ends_at <= now()), x.starts_at`;
  return sql`("events"."series_id" IS NULL OR "events"."id" = (SELECT x.id FROM events x
    WHERE x.series_id = "events"."series_id" AND x.published_at IS NOT NULL AND ${fits} ORDER BY ${order}, x.id LIMIT 1))`;
}

function filterWhere(filter: EventFilter | undefined): SQL | undefined {
  switch (filter) {
    case "on_sale":
      return and(eq(events.status, "ON_SALE"), lte(events.saleStartsAt, sql`now()`), gt(events.saleEndsAt, sql`now()`));
    case "upcoming":
      return and(gt(events.startsAt, sql`now()`), ne(events.status, "CANCELLED"));
    case "past":
      return or(lte(events.endsAt, sql`now()`), eq(events.status, "COMPLETED"));
    case "free":
      return and(
        gt(events.endsAt, sql`now()`),
        sql`not exists (select 1 from event_sections s where s.event_id = "events"."id" and s.price_minor > 0 and not s.hidden)`,
      );
    default:
      return undefined;
  }
}

function toSummary(e: Event & { minPriceMinor: number; maxPriceMinor: number; seriesDates: number }): EventSummary {
  return {
    id: e.id,
    title: e.title,
    imageUrl: e.imageUrl,
    startsAt: e.startsAt.toISOString(),
    endsAt: e.endsAt.toISOString(),
    saleStartsAt: e.saleStartsAt.toISOString(),
    saleEndsAt: e.saleEndsAt.toISOString(),
    status: e.status,
    venueName: e.venueName,
    venueAddress: e.venueAddress,
    timeZone: e.timeZone,
    currency: e.currency,
    minPriceMinor: e.minPriceMinor,
    maxPriceMinor: e.maxPriceMinor,
    capacity: e.capacity,
    seriesId: e.seriesId,
    seriesDates: e.seriesDates,
  };
}

function escapeLike(q: string) {
  // PostgreSQL text cannot hold NUL, and no stored text contains one: searching for it is
  // searching for nothing, not an error.
  return q.replace(/\u0000/g, "").replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listPublicEvents(opts: { filter?: EventFilter; q?: string; page?: number; pageSize?: number } = {}) {
  const page = Math.max(1, opts.page ?? 1);
  const pageSize = Math.min(100, Math.max(1, opts.pageSize ?? 12));
  const q = opts.q?.trim();
  const where = and(
    isNotNull(events.publishedAt),
    filterWhere(opts.filter),
    seriesRepresentative(opts.filter),
    q ? or(ilike(events.title, `%${escapeLike(q)}%`), ilike(events.venueName, `%${escapeLike(q)}%`)) : undefined,
  );
  // Past events newest first; everything else soonest first.
  const order = opts.filter === "past" ? [desc(events.startsAt)] : [asc(events.startsAt)];
  const [rows, [{ total }]] = await replicaRead("events.list", (d) =>
    Promise.all([
      d
        .select({ event: events, ...priceRange, publicCapacity })
        .from(events)
        .where(where)
        .orderBy(...order, asc(events.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize),
      d
        .select({ total: sql<number>`count(*)::int` })
        .from(events)
        .where(where),
    ]),
  );
  return {
    items: rows.map((r) =>
      toSummary({ ...r.event, capacity: r.publicCapacity, minPriceMinor: r.minPriceMinor, maxPriceMinor: r.maxPriceMinor, seriesDates: r.seriesDates }),
    ),
    page,
    pageSize,
    total,
    totalPages: Math.max(1, Math.ceil(total / pageSize)),
  };
}

/** A published event, or any event for someone who may manage it (drafts included). */
export async function getEventDetail(rawId: string, viewer?: Pick<Actor, "id" | "role"> | null): Promise<EventDetail | null> {
  const id = canonicalUuid(rawId);
  if (!id || knownAbsent("event", id)) return null; // a made-up id asked again costs no read (lib/absent-ids.ts)
  const detail =
    viewer && STAFF_ROLES.includes(viewer.role)
      ? await readDetail(db(), id, viewer)
      : // A replica that has not yet seen a just-published event answers "not found": ask the primary.
        await replicaRead("events.detail", (d) => readDetail(d, id, viewer), { orPrimaryIf: (r) => r === null || r === NO_ROW });
  if (detail === NO_ROW) {
    rememberAbsent("event", id); // the primary's answer: replicaRead asked it after a replica's NO_ROW
    return null;
  }
  return detail;
}

const NO_ROW = "no-row" as const;

const hasTicketTypes = sql<boolean>`exists (select 1 from ticket_types t where t.event_id = "events"."id")`;

async function readDetail(d: Db, id: string, viewer?: Pick<Actor, "id" | "role"> | null): Promise<EventDetail | null | typeof NO_ROW> {
  const [row] = await d
    .select({ event: events, ...priceRange, hasTicketTypes })
    .from(events)
    .where(eq(events.id, id))
    .limit(1);
  if (!row) return NO_ROW;
  const e = row.event;
  const staffView = viewer && mayManageEvent(viewer, e);
  if (!e.publishedAt && !staffView) return null;
  const sections = await d
    .select({
      id: eventSections.id,
      name: eventSections.name,
      kind: eventSections.kind,
      capacity: eventSections.capacity,
      priceMinor: eventSections.priceMinor,
      color: eventSections.color,
      hidden: eventSections.hidden,
    })
    .from(eventSections)
    .where(eq(eventSections.eventId, id))
    .orderBy(asc(eventSections.sortOrder));
  // Hidden sections the viewer may not see do not exist for them (docs/promo-codes.md): only an
  // event with hidden sections asks which ones this viewer may see, so other pages cost what they did.
  let shown = sections;
  if (!staffView && sections.some((s) => s.hidden)) {
    const seen = await visibleHiddenSections(id, viewer ? { userId: viewer.id } : null);
    shown = sections.filter((s) => !s.hidden || seen.has(s.id));
  }
  const ids = new Set(shown.map((s) => s.id));
  // Only an event with types reads them: every other event page costs what it did.
  const ticketTypes = row.hasTicketTypes
    ? (await publicTicketTypes(d, id)).map((t) => ({ ...t, prices: t.prices.filter((p) => ids.has(p.sectionId)) })).filter((t) => t.prices.length > 0)
    : [];
  const prices = shown.map((s) => s.priceMinor);
  const range = sections.some((s) => s.hidden)
    ? { minPriceMinor: prices.length ? Math.min(...prices) : 0, maxPriceMinor: prices.length ? Math.max(...prices) : 0 }
    : { minPriceMinor: row.minPriceMinor, maxPriceMinor: row.maxPriceMinor };
  return {
    ...toSummary({ ...e, ...range, seriesDates: row.seriesDates }),
    capacity: shown.length === sections.length ? e.capacity : shown.reduce((n, s) => n + s.capacity, 0),
    description: e.description,
    holdSeconds: e.holdSeconds,
    maxPerOrder: e.maxPerOrder,
    maxPerCustomer: e.maxPerCustomer,
    organizerId: e.organizerId,
    venueId: e.venueId,
    publishedAt: e.publishedAt?.toISOString() ?? null,
    waitingRoom: e.waitingRoom,
    version: e.version,
    sections: shown,
    ticketTypes,
    cancellationPolicy: policyOf(e),
  };
}
