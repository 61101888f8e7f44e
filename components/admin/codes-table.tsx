import Link from "next/link";
import { ZonedTime } from "@/components/zoned-time";
import type { DashboardCode } from "@/lib/promo-codes/counts";

// The event dashboard's codes panel (docs/promo-codes.md, "On the event dashboard"): per code its
// kind, uses out of its limit, checkouts being paid with it, the discount given and, for access
// codes, the customers it unlocked. Redrawn with every poll of the live dashboard.

const KIND: Record<DashboardCode["kind"], string> = { PERCENT: "Discount (%)", FIXED: "Discount (amount)", ACCESS: "Access" };
const outOf = (n: number, max: number | null) => (max === null ? String(n) : `${n} / ${max}`);

export function CodesTable({
  codes,
  money,
  eventId,
  timeZone,
}: {
  codes: DashboardCode[];
  money: (minor: number) => string;
  eventId: string;
  timeZone: string;
}) {
  return (
    <section aria-labelledby="codes-h" className="space-y-2">
      <h2 id="codes-h" className="text-lg font-semibold">
        Codes{" "}
        <Link href={`/admin/events/${eventId}/promo-codes`} className="text-sm font-normal text-brand-700 underline">
          manage
        </Link>
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" data-testid="dashboard-codes">
          <thead className="bg-slate-50 text-left text-slate-700">
            <tr>
              <th className="px-3 py-2">Code</th>
              <th className="px-3 py-2">Kind</th>
              <th className="px-3 py-2">Valid</th>
              <th className="px-3 py-2 text-right">Bookings</th>
              <th className="px-3 py-2 text-right">Being paid</th>
              <th className="px-3 py-2 text-right">Discount given</th>
              <th className="px-3 py-2 text-right">Customers unlocked</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.id} className="border-t border-slate-100" data-testid={`code-row-${c.code}`}>
                <td className="px-3 py-2 font-mono font-semibold">
                  {c.code}
                  {!c.active && <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 font-sans text-xs font-normal">inactive</span>}
                </td>
                <td className="px-3 py-2">{KIND[c.kind]}</td>
                <td className="px-3 py-2" data-testid="code-valid">
                  {!c.validFrom && !c.validUntil && "any time"}
                  {c.validFrom && (
                    <>
                      from <ZonedTime iso={c.validFrom} timeZone={timeZone} />{" "}
                    </>
                  )}
                  {c.validUntil && (
                    <>
                      until <ZonedTime iso={c.validUntil} timeZone={timeZone} />
                    </>
                  )}
                </td>
                {/* An access code's limit is on the customers it unlocks, not on bookings. */}
                <td className="px-3 py-2 text-right tabular-nums" data-testid="code-bookings">
                  {c.kind === "ACCESS" ? c.bookings : outOf(c.bookings, c.maxUses)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid="code-pending">
                  {c.kind === "ACCESS" ? "—" : c.pending}
                </td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid="code-discount">
                  {c.kind === "ACCESS" ? "—" : money(c.discountMinor)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid="code-unlocked">
                  {c.unlocked === null ? "—" : outOf(c.unlocked, c.maxUses)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
