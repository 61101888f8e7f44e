import type { SalesBucket } from "@/lib/dashboard/stats";
import { toWallInput, zoneLabel } from "@/lib/time-zone";

// Sales over time as an SVG: a bar per time bucket (tickets sold in it) and a line for the
// running total. No chart library: a few dozen rectangles and one path.

const W = 640;
const H = 200;
const PAD = { left: 36, right: 12, top: 12, bottom: 28 };

// On the venue's clock (lib/time-zone.ts), never the machine's: the server and every browser
// print the same label, so hydration agrees whatever zone the organizer's computer is in.
function label(iso: string, bucketSeconds: number, timeZone: string) {
  const [date, time] = toWallInput(iso, timeZone).split("T");
  const [, month, day] = date.split("-").map(Number);
  return bucketSeconds >= 86400 ? `${day}/${month}` : bucketSeconds >= 3600 ? `${day}/${month} ${time}` : time;
}

export function SalesChart({ buckets, bucketSeconds, timeZone }: { buckets: SalesBucket[]; bucketSeconds: number; timeZone: string }) {
  const total = buckets.reduce((n, b) => n + b.tickets, 0);
  const maxBar = Math.max(1, ...buckets.map((b) => b.tickets));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, buckets.length);
  let running = 0;
  const line = buckets
    .map((b, i) => {
      running += b.tickets;
      const x = PAD.left + step * (i + 0.5);
      const y = PAD.top + plotH - (running / Math.max(1, total)) * plotH;
      return `${i === 0 ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(" ");
  const every = Math.max(1, Math.ceil(buckets.length / 6));
  const unit = bucketSeconds >= 86400 ? `${bucketSeconds / 86400} day` : bucketSeconds >= 3600 ? `${bucketSeconds / 3600} h` : `${bucketSeconds / 60} min`;
  return (
    <figure className="space-y-1">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full"
        role="img"
        aria-label={`Sales over time: ${total} tickets in ${buckets.length} periods of ${unit}`}
        data-testid="sales-chart"
        data-total={total}
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="#94a3b8" />
        <text x={PAD.left - 6} y={PAD.top + 8} textAnchor="end" fontSize="10" fill="#475569">
          {maxBar}
        </text>
        <text x={PAD.left - 6} y={PAD.top + plotH} textAnchor="end" fontSize="10" fill="#475569">
          0
        </text>
        {buckets.map((b, i) => {
          const h = (b.tickets / maxBar) * plotH;
          return (
            <g key={b.at}>
              <rect x={PAD.left + step * i + step * 0.15} y={PAD.top + plotH - h} width={Math.max(1, step * 0.7)} height={h} fill="#6366f1" rx={1}>
                <title>{`${label(b.at, bucketSeconds, timeZone)}: ${b.tickets} tickets`}</title>
              </rect>
              {i % every === 0 && (
                <text x={PAD.left + step * (i + 0.5)} y={H - 8} textAnchor="middle" fontSize="10" fill="#475569">
                  {label(b.at, bucketSeconds, timeZone)}
                </text>
              )}
            </g>
          );
        })}
        {total > 0 && <path d={line} fill="none" stroke="#0f766e" strokeWidth={2} />}
      </svg>
      <figcaption className="text-xs text-slate-600">
        Bars: tickets sold per {unit}. Line: running total ({total} tickets). Times on the venue&apos;s clock
        {buckets.length > 0 ? ` (${zoneLabel(buckets[0].at, timeZone)})` : ""}.
      </figcaption>
    </figure>
  );
}
