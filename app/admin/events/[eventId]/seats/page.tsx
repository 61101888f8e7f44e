import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { HouseSeats } from "@/components/admin/house-seats";
import { LocalTime } from "@/components/local-time";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { listBlocks } from "@/lib/blocking/read";
import { BLOCK_REASONS } from "@/lib/blocking/schemas";
import { getHouseLayout } from "@/lib/dashboard/house";
import { getEventDashboard } from "@/lib/dashboard/stats";
import { readSeatStates } from "@/lib/inventory/staff-states";
import { compactLayout } from "@/lib/seatmap/compact";
import { houseGaAction, houseSeatsAction } from "./actions";

export const metadata: Metadata = { title: "House seats" };

// House, press and production seats: what is kept off sale, by whom and why, and the map to
// change it. Everything is read fresh from PostgreSQL on each visit and after each change.

export default async function HouseSeatsPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  const actor = await requirePageActor(`/admin/events/${eventId}/seats`, STAFF_ROLES);
  const dashboard = await getEventDashboard(actor, eventId);
  if (!dashboard) notFound();
  const { event } = dashboard;
  const [layout, seats, blocks] = await Promise.all([getHouseLayout(actor, event.id), readSeatStates(event.id), listBlocks(actor, event.id)]);
  const closed = event.status === "CANCELLED" || event.status === "COMPLETED";
  const ga = dashboard.sections
    .filter((s) => s.kind === "GA")
    .map((s) => ({ id: s.id, name: s.name, capacity: s.capacity, blocked: s.blocked, free: s.available }));
  return (
    <div className="space-y-6">
      <Link href={`/admin/events/${event.id}`} className="text-sm font-semibold text-brand-700 underline">
        ← {event.title}
      </Link>
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">House seats</h1>
        <p className="max-w-prose text-sm text-slate-700">
          Keep places off sale for the house, press or a production need, and put them back on sale when they are no longer needed. Customers see them as not on
          sale; no hold can take them. A seat someone is holding or has bought cannot be blocked.
        </p>
        <p className="text-sm text-slate-800" data-testid="house-totals">
          {dashboard.totals.blocked} of {dashboard.totals.capacity} places off sale · {dashboard.totals.sold} sold · {dashboard.totals.held} held ·{" "}
          {dashboard.totals.available} available
        </p>
      </header>
      {closed ? (
        <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm">This event is closed: its places can no longer change.</p>
      ) : (
        layout && (
          <HouseSeats
            eventId={event.id}
            layout={compactLayout(layout)}
            seats={seats}
            gaSections={ga}
            reasons={BLOCK_REASONS}
            seatsAction={houseSeatsAction}
            gaAction={houseGaAction}
          />
        )
      )}
      <section aria-labelledby="blocks-h" className="space-y-2">
        <h2 id="blocks-h" className="text-lg font-semibold">
          Off sale now
        </h2>
        {!blocks || blocks.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing is kept off sale.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm" data-testid="blocks-table">
              <thead className="bg-slate-50 text-left text-slate-700">
                <tr>
                  <th className="px-3 py-2">Section</th>
                  <th className="px-3 py-2">Reason</th>
                  <th className="px-3 py-2 text-right">Places</th>
                  <th className="px-3 py-2">Seats</th>
                  <th className="px-3 py-2">By</th>
                  <th className="px-3 py-2">Since</th>
                </tr>
              </thead>
              <tbody>
                {blocks.map((b) => (
                  <tr key={`${b.sectionId}-${b.reason}`} className="border-t border-slate-100">
                    <td className="px-3 py-2">{b.sectionName}</td>
                    <td className="px-3 py-2 font-medium">{b.reason}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{b.count}</td>
                    <td className="px-3 py-2">{b.kind === "GA" ? "standing" : b.seats.join(", ")}</td>
                    <td className="px-3 py-2">{b.blockedBy ?? "—"}</td>
                    <td className="px-3 py-2">
                      <LocalTime iso={b.since} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
