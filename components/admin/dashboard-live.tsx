"use client";
import { useEffect, useRef, useState } from "react";
import { formatMoney } from "@/lib/money";
import { formatReference } from "@/lib/bookings/reference";
import { METHOD_LABELS } from "@/lib/box-office/methods";
import { LocalTime } from "@/components/local-time";
import type { Dashboard } from "@/lib/dashboard/stats";
import type { SeatLayout } from "@/lib/seatmap/types";
import { CodesTable } from "./codes-table";
import { HouseMap } from "./house-map";
import { SalesChart } from "./sales-chart";

// The live part of an event's dashboard. It polls a small route handler every few seconds
// (only while the tab is visible) and redraws counts, chart, seat map and recent bookings
// without a page reload.

export type LiveData = { dashboard: Dashboard; seats: { count: number; data: string } | null };

const POLL_MS = 3000;

export function DashboardLive({ initial, layout }: { initial: LiveData; layout: SeatLayout | null }) {
  const [data, setData] = useState(initial);
  const [stale, setStale] = useState(false);
  const eventId = initial.dashboard.event.id;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      if (!document.hidden) {
        try {
          const res = await fetch(`/admin/events/${eventId}/live`, { cache: "no-store", headers: { accept: "application/json" } });
          if (!res.ok) throw new Error(String(res.status));
          const next = (await res.json()) as LiveData;
          if (!stopped) {
            setData(next);
            setStale(false);
          }
        } catch {
          if (!stopped) setStale(true);
        }
      }
      if (!stopped) timer.current = setTimeout(tick, POLL_MS);
    };
    timer.current = setTimeout(tick, POLL_MS);
    return () => {
      stopped = true;
      if (timer.current) clearTimeout(timer.current);
    };
  }, [eventId]);

  const d = data.dashboard;
  const money = (m: number) => formatMoney(m, d.event.currency);
  const t = d.totals;
  return (
    <div className="space-y-6">
      <p className="text-xs text-slate-600" aria-live="off">
        <span className={`mr-1 inline-block h-2 w-2 rounded-full ${stale ? "bg-amber-500" : "bg-emerald-500"}`} aria-hidden />
        {stale ? "Connection lost — retrying…" : "Live"} · updated <LocalTime iso={d.generatedAt} />
      </p>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-8">
        <Stat label="Sold" value={`${t.sold} / ${t.capacity}`} id="sold" />
        <Stat label="Held" value={String(t.held)} id="held" />
        <Stat label="Available" value={String(t.available)} id="available" />
        <Stat label="Off sale" value={String(t.blocked)} id="blocked" />
        <Stat
          label="Revenue"
          value={t.boxOfficeMinor ? `${money(t.revenueMinor)} · ${money(t.boxOfficeMinor)} at the desk` : money(t.revenueMinor)}
          id="revenue"
        />
        {/* Given away (complimentary, invitation): sold places that bring no revenue. */}
        <Stat label="Comps" value={String(t.compPlaces)} id="comps" />
        <Stat label="Refunded" value={`${money(t.refundedMinor)} · ${t.cancelledBookings} booking${t.cancelledBookings === 1 ? "" : "s"}`} id="refunded" />
        <Stat label="Checked in" value={`${t.checkedIn} / ${t.sold}`} id="checked-in" />
      </dl>

      <section aria-labelledby="sections-h" className="space-y-2">
        <h2 id="sections-h" className="text-lg font-semibold">
          By section
        </h2>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th className="px-3 py-2">Section</th>
                <th className="px-3 py-2 text-right">Sold</th>
                <th className="px-3 py-2 text-right">Held</th>
                <th className="px-3 py-2 text-right">Off sale</th>
                <th className="px-3 py-2 text-right">Available</th>
                <th className="px-3 py-2 text-right">Capacity</th>
                <th className="px-3 py-2 text-right">Revenue</th>
                <th className="px-3 py-2" aria-label="Share sold" />
              </tr>
            </thead>
            <tbody>
              {d.sections.map((s) => (
                <tr key={s.id} className="border-t border-slate-100" data-testid={`section-row-${s.name}`}>
                  <td className="px-3 py-2">
                    <span className="mr-2 inline-block h-3 w-3 rounded-sm align-middle" style={{ background: s.color }} aria-hidden />
                    {s.name} <span className="text-xs text-slate-500">{s.kind === "GA" ? "standing" : "seated"}</span>
                    {s.hidden && <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 text-xs">hidden · access code only</span>}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{s.sold}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{s.held}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{s.blocked}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{s.available}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{s.capacity}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{money(s.revenueMinor)}</td>
                  <td className="w-40 px-3 py-2">
                    <div className="flex h-2 overflow-hidden rounded bg-slate-100" aria-hidden>
                      <div style={{ width: `${(100 * s.sold) / s.capacity}%`, background: s.color }} />
                      <div style={{ width: `${(100 * s.held) / s.capacity}%` }} className="bg-amber-400" />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {d.ticketTypes.length > 0 && (
        <section aria-labelledby="types-h" className="space-y-2">
          <h2 id="types-h" className="text-lg font-semibold">
            By ticket type
          </h2>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-slate-700">
                <tr>
                  <th className="px-3 py-2">Ticket type</th>
                  <th className="px-3 py-2 text-right">Sold</th>
                  <th className="px-3 py-2 text-right">Limit</th>
                  <th className="px-3 py-2 text-right">Revenue</th>
                </tr>
              </thead>
              <tbody>
                {d.ticketTypes.map((ty) => (
                  <tr key={ty.id} className="border-t border-slate-100" data-testid={`type-row-${ty.name}`}>
                    <td className="px-3 py-2">
                      {ty.name}
                      {ty.retired && <span className="ml-2 text-xs text-slate-500">retired</span>}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{ty.sold}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{ty.limit ?? "—"}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{money(ty.revenueMinor)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {d.codes.length > 0 && <CodesTable codes={d.codes} money={money} eventId={d.event.id} timeZone={d.event.timeZone} />}

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="sales-h" className="space-y-2">
          <h2 id="sales-h" className="text-lg font-semibold">
            Sales over time
          </h2>
          <SalesChart buckets={d.sales.buckets} bucketSeconds={d.sales.bucketSeconds} timeZone={d.event.timeZone} />
        </section>
        <section aria-labelledby="house-h" className="space-y-2">
          <h2 id="house-h" className="text-lg font-semibold">
            The house
          </h2>
          {layout ? <HouseMap layout={layout} seats={data.seats} /> : <p className="text-sm text-slate-600">No seat map.</p>}
        </section>
      </div>

      <section aria-labelledby="recent-h" className="space-y-2">
        <h2 id="recent-h" className="text-lg font-semibold">
          Recent bookings
        </h2>
        {d.recent.length === 0 ? (
          <p className="text-sm text-slate-600">No bookings yet.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm" data-testid="recent-bookings">
              <thead className="bg-slate-50 text-left text-slate-700">
                <tr>
                  <th className="px-3 py-2">Reference</th>
                  <th className="px-3 py-2">Customer</th>
                  <th className="px-3 py-2 text-right">Tickets</th>
                  <th className="px-3 py-2 text-right">Amount</th>
                  <th className="px-3 py-2">Paid</th>
                  <th className="px-3 py-2">Status</th>
                  <th className="px-3 py-2">When</th>
                </tr>
              </thead>
              <tbody>
                {d.recent.map((b) => (
                  <tr key={b.reference} className="border-t border-slate-100">
                    <td className="px-3 py-2 font-mono">{formatReference(b.reference)}</td>
                    <td className="px-3 py-2">
                      {b.customerName} <span className="text-slate-500">{b.customerEmail}</span>
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{b.tickets}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{money(b.amountMinor)}</td>
                    <td className="px-3 py-2">{b.method ? `${METHOD_LABELS[b.method]} (box office)` : "Online"}</td>
                    <td className="px-3 py-2">
                      <span className={b.status === "CONFIRMED" ? "text-emerald-800" : "font-semibold text-red-800"}>
                        {b.status === "CONFIRMED" ? "Confirmed" : "Cancelled · refunded"}
                      </span>
                    </td>
                    <td className="px-3 py-2">
                      <LocalTime iso={b.createdAt} />
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

function Stat({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-1 text-lg font-bold tabular-nums" data-testid={`stat-${id}`}>
        {value}
      </dd>
    </div>
  );
}
