import type { Metadata } from "next";
import Link from "next/link";
import { formatMoney } from "@/lib/money";
import { ZonedTime } from "@/components/zoned-time";
import { StatusBadge } from "@/components/admin/status-badge";
import { linkButton } from "@/components/admin/link-button";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { listStaffEvents } from "@/lib/dashboard/events";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminHome() {
  const actor = await requirePageActor("/admin", STAFF_ROLES);
  const events = await listStaffEvents(actor);
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{actor.role === "ADMIN" ? "All events" : "Your events"}</h1>
          <p className="text-sm text-slate-700">
            Signed in as {actor.name} ({actor.role.toLowerCase()}).
          </p>
        </div>
        <Link href="/admin/events/new" className={linkButton()}>
          New event
        </Link>
      </div>
      {events.length === 0 ? (
        <p className="text-slate-700">No events yet. Create your first one.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th className="px-3 py-2">Event</th>
                <th className="px-3 py-2">Status</th>
                <th className="px-3 py-2">Starts</th>
                <th className="px-3 py-2">Venue</th>
                {actor.role === "ADMIN" && <th className="px-3 py-2">Organizer</th>}
                <th className="px-3 py-2 text-right">Sold</th>
                <th className="px-3 py-2 text-right">Revenue</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} className="border-t border-slate-100">
                  <td className="px-3 py-2">
                    <Link href={`/admin/events/${e.id}`} className="font-semibold text-brand-700 underline">
                      {e.title}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <StatusBadge status={e.status} published={e.published} />
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <ZonedTime iso={e.startsAt} timeZone={e.timeZone} />
                  </td>
                  <td className="px-3 py-2">{e.venueName}</td>
                  {actor.role === "ADMIN" && <td className="px-3 py-2">{e.organizerName}</td>}
                  <td className="px-3 py-2 text-right tabular-nums">
                    {e.sold} / {e.capacity}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatMoney(e.revenueMinor, e.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
