import type { Metadata } from "next";
import Link from "next/link";
import { formatMoney } from "@/lib/money";
import { LocalTime } from "@/components/local-time";
import { AUDIT_ACTIONS, listAudit } from "@/lib/audit";
import { formatReference } from "@/lib/bookings/reference";
import { requirePageActor } from "@/lib/auth/guards";
import { isUuid } from "@/lib/ids";

export const metadata: Metadata = { title: "Audit trail" };

type Search = { action?: string; q?: string; before?: string };

const STATUS: Partial<Record<string, string>> = { UPCOMING: "upcoming", ON_SALE: "on sale", SOLD_OUT: "sold out" };
const REASONS: Partial<Record<string, string>> = { event_cancelled: "the event was cancelled" };

function describe(e: { action: string; details: Record<string, unknown> }): string {
  const d = e.details;
  switch (e.action) {
    case "role.change":
      return `${d.email}: ${String(d.from).toLowerCase()} → ${String(d.to).toLowerCase()}`;
    case "event.cancel":
      return `${d.title ? `“${d.title}”` : "event"} cancelled (was ${STATUS[String(d.previousStatus)] ?? String(d.previousStatus ?? "").toLowerCase()})`;
    case "booking.refund":
    case "booking.cancel":
      return describeRefund(e.action, d);
    case "event.cancellation_policy":
      return `“${d.title}”: customers ${d.hoursBefore === null ? "cannot cancel" : `may cancel until ${d.hoursBefore} h before the start${feeText(d)}`}`;
    case "event.publish":
      return `published “${d.title}”`;
    case "venue.create":
      return `venue “${d.name}” created`;
    case "venue.update":
      return `venue “${d.name}” edited (version ${d.version})`;
    case "places.block":
      return `${d.blocked} place${d.blocked === 1 ? "" : "s"} of “${d.title}” kept off sale (${d.reason})`;
    case "places.unblock":
      return `${d.released} place${d.released === 1 ? "" : "s"} of “${d.title}” back on sale`;
    default:
      return JSON.stringify(d);
  }
}

/** A refund entry: which booking, how many tickets, how much went back, and why. */
function describeRefund(action: string, d: Record<string, unknown>): string {
  const money = (n: unknown) => formatMoney(Number(n), String(d.currency).trim());
  const booking = `booking ${formatReference(String(d.reference))}${d.eventTitle ? ` for “${d.eventTitle}”` : ""}`;
  const tickets = Array.isArray(d.tickets) ? d.tickets.length : 0;
  const what = d.bookingCancelled === false ? `${tickets} ticket${tickets === 1 ? "" : "s"} of ${booking} refunded` : `${booking} cancelled`;
  const refunded = d.refund ? `, ${money(d.amountMinor)} refunded` : "";
  const fee = Number(d.feeMinor) > 0 ? ` (fee ${money(d.feeMinor)} kept)` : "";
  const why = action === "booking.cancel" ? "by the customer" : (REASONS[String(d.reason)] ?? d.reason);
  return `${what}${refunded}${fee} (${why})`;
}

function feeText(d: Record<string, unknown>): string {
  if (Number(d.feePercent) > 0) return `, fee ${d.feePercent}%`;
  if (Number(d.feeMinor) > 0) return `, fee ${formatMoney(Number(d.feeMinor), String(d.currency ?? "EUR").trim())}`;
  return ", no fee";
}

/** The event an entry is about: its target, or the event of a booking (entries written since they carry it). */
function eventOf(e: { targetType: string; targetId: string; details: Record<string, unknown> }): string | null {
  if (e.targetType === "event") return e.targetId;
  return isUuid(e.details.eventId) ? e.details.eventId : null;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePageActor("/admin/audit", ["ADMIN"]);
  const sp = await searchParams;
  const action = (AUDIT_ACTIONS as readonly string[]).includes(sp.action ?? "") ? sp.action : undefined;
  const q = (sp.q ?? "").slice(0, 200);
  const before = Number.parseInt(sp.before ?? "", 10);
  const { items, nextBefore } = await listAudit(actor, { action, q, before: Number.isFinite(before) && before > 0 ? before : undefined });
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">Audit trail</h1>
      <form method="get" className="flex flex-wrap items-end gap-3" role="search">
        <div className="space-y-1">
          <label htmlFor="action" className="block text-sm font-medium">
            What
          </label>
          <select id="action" name="action" defaultValue={action ?? ""} className="rounded-md border border-slate-300 bg-white px-3 py-2">
            <option value="">Everything</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="q" className="block text-sm font-medium">
            Who (name or email), booking reference or target id
          </label>
          <input id="q" name="q" defaultValue={q} className="rounded-md border border-slate-300 bg-white px-3 py-2" />
        </div>
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white">
          Filter
        </button>
      </form>
      {items.length === 0 ? (
        <p className="text-slate-700">Nothing recorded yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="audit-table">
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th className="px-3 py-2">When</th>
                <th className="px-3 py-2">Who</th>
                <th className="px-3 py-2">Action</th>
                <th className="px-3 py-2">What</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id} className="border-t border-slate-100">
                  <td className="whitespace-nowrap px-3 py-2">
                    <LocalTime iso={e.createdAt} />
                  </td>
                  <td className="px-3 py-2">{e.actor ? `${e.actor.name} (${e.actor.email})` : "system"}</td>
                  <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                  <td className="px-3 py-2">
                    {describe(e)}
                    {eventOf(e) && (
                      <>
                        {" "}
                        <Link href={`/admin/events/${eventOf(e)}`} className="text-brand-700 underline">
                          open event
                        </Link>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore && (
        <Link
          href={`/admin/audit?${new URLSearchParams({ ...(action ? { action } : {}), ...(q ? { q } : {}), before: String(nextBefore) })}`}
          className="text-sm underline"
        >
          Older entries
        </Link>
      )}
    </div>
  );
}
