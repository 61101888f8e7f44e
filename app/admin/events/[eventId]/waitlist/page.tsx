import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { requireManagedEventPage } from "@/lib/auth/guards";
import { listWaitlist } from "@/lib/waitlist/read";

export const metadata: Metadata = { title: "Waiting list" };

// The event's waiting list as its organizer sees it: people in line in order, offers made and
// how they ended. Offers are made by the cron tick (and at once when house seats are released).

const STATUS: Record<string, string> = {
  WAITING: "Waiting",
  OFFERED: "Offered: places held",
  CLAIMED: "Paid",
  LAPSED: "Offer ran out",
  LEFT: "Left the list",
};

export default async function WaitlistPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  const { actor, event } = await requireManagedEventPage(`/admin/events/${eventId}/waitlist`, eventId);
  const entries = (await listWaitlist(actor, event.id)) ?? [];
  const waiting = entries.filter((e) => e.status === "WAITING");
  return (
    <div className="space-y-6">
      <Link href={`/admin/events/${event.id}`} className="text-sm font-semibold text-brand-700 underline">
        ← {event.title}
      </Link>
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Waiting list</h1>
        <p className="max-w-prose text-sm text-slate-700">
          Customers join when the event (or a section) is sold out. Places that come back are held for them in this order for 30 minutes; an offer that is not
          paid in time goes to the next person.
        </p>
        <p className="text-sm text-slate-800" data-testid="waitlist-summary">
          {waiting.length} waiting for {waiting.reduce((n, e) => n + e.quantity, 0)} places · {entries.filter((e) => e.status === "OFFERED").length} offers open
          · {entries.filter((e) => e.status === "CLAIMED").length} paid
        </p>
      </header>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600">Nobody has joined the waiting list.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="waitlist-table">
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th className="px-3 py-2 text-right">#</th>
                <th className="px-3 py-2">Customer</th>
                <th className="px-3 py-2 text-right">Places</th>
                <th className="px-3 py-2">Section</th>
                <th className="px-3 py-2">Status</th>
                <th className="px-3 py-2">Joined</th>
                <th className="px-3 py-2">Offer</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} className="border-t border-slate-100">
                  <td className="px-3 py-2 text-right tabular-nums">{e.position ?? "—"}</td>
                  <td className="px-3 py-2">
                    {e.customerName} <span className="text-slate-500">{e.customerEmail}</span>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{e.quantity}</td>
                  <td className="px-3 py-2">{e.sectionName ?? "Any"}</td>
                  <td className="px-3 py-2 font-medium">{STATUS[e.status] ?? e.status}</td>
                  <td className="px-3 py-2">
                    <LocalTime iso={e.joinedAt} />
                  </td>
                  <td className="px-3 py-2">
                    {e.offer ? (
                      <>
                        held until <LocalTime iso={e.offer.expiresAt} />
                      </>
                    ) : e.offeredAt ? (
                      <LocalTime iso={e.offeredAt} />
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
