import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { EventCard } from "@/components/events/event-card";
import { EVENT_FILTERS, listPublicEvents, type EventFilter } from "@/lib/events/queries";

export const metadata: Metadata = { title: "Events" };

// The home page opens on upcoming events; "All" (filter=all) adds past and cancelled ones.
type Tab = EventFilter | "all";
const TABS: Tab[] = ["upcoming", "on_sale", "free", "past", "all"];
const DEFAULT_TAB: Tab = "upcoming";
const TAB_LABELS: Record<Tab, string> = { upcoming: "Upcoming", on_sale: "On sale", free: "Free", past: "Past", all: "All" };

// Filters, search and page live in the URL so every view can be shared, bookmarked and reloaded.
const querySchema = z.object({
  filter: z
    .enum([...EVENT_FILTERS, "all"])
    .optional()
    .catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

type Query = z.infer<typeof querySchema>;

function href(q: Query) {
  const p = new URLSearchParams();
  if (q.filter && q.filter !== DEFAULT_TAB) p.set("filter", q.filter);
  if (q.q) p.set("q", q.q);
  if (q.page && q.page > 1) p.set("page", String(q.page));
  const s = p.toString();
  return s ? `/?${s}` : "/";
}

export default async function Home({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = querySchema.parse(await searchParams);
  const tab: Tab = query.filter ?? DEFAULT_TAB;
  const result = await listPublicEvents({ filter: tab === "all" ? undefined : tab, q: query.q, page: query.page, pageSize: 12 });
  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-4 md:flex-row md:items-end md:justify-between">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">Events</h1>
          <p className="mt-1 text-slate-700">Pick your seats on a live map and hold them while you pay.</p>
        </div>
        <form role="search" action="/" className="flex w-full gap-2 md:w-auto">
          {tab !== DEFAULT_TAB && <input type="hidden" name="filter" value={tab} />}
          <label htmlFor="q" className="sr-only">
            Search events
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={query.q}
            placeholder="Search by title or venue"
            className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm md:w-72"
          />
          <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">
            Search
          </button>
        </form>
      </div>

      <nav aria-label="Filter events">
        <ul className="flex flex-wrap gap-2">
          {TABS.map((t) => {
            const active = tab === t;
            return (
              <li key={t}>
                <Link
                  href={href({ filter: t, q: query.q })}
                  aria-current={active ? "page" : undefined}
                  className={`inline-block rounded-full px-4 py-1.5 text-sm font-medium ring-1 ring-inset ${
                    active ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-800 ring-slate-300 hover:bg-slate-100"
                  }`}
                >
                  {TAB_LABELS[t]}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>

      <p className="text-sm text-slate-700" aria-live="polite">
        {result.total === 0 ? "No events match." : `${result.total} event${result.total === 1 ? "" : "s"}${query.q ? ` matching “${query.q}”` : ""}`}
      </p>

      {result.items.length > 0 ? (
        <ul className="grid gap-5 sm:grid-cols-2 lg:grid-cols-3" aria-label="Events">
          {result.items.map((e) => (
            <EventCard key={e.id} event={e} />
          ))}
        </ul>
      ) : (
        <div className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-medium">Nothing here yet.</p>
          <p className="mt-1 text-sm text-slate-700">
            Try another filter or a shorter search.{" "}
            <Link href="/" className="font-semibold text-brand-700 underline">
              Show all events
            </Link>
          </p>
        </div>
      )}

      {result.totalPages > 1 && (
        <nav aria-label="Pages" className="flex items-center justify-between gap-2 pt-2">
          {result.page > 1 ? (
            <Link
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
              href={href({ ...query, filter: tab, page: result.page - 1 })}
              rel="prev"
            >
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          <span className="text-sm text-slate-700">
            Page {result.page} of {result.totalPages}
          </span>
          {result.page < result.totalPages ? (
            <Link
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
              href={href({ ...query, filter: tab, page: result.page + 1 })}
              rel="next"
            >
              Next →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </div>
  );
}
