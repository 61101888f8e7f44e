import { formatMoney } from "@/lib/money";
import { SEAT_COLORS } from "./colors";

type Section = { id: string; name: string; kind: "ASSIGNED" | "GA"; color: string; priceMinor: number; available: number; capacity: number };

/** Price legend: one swatch per section with its price and what is left. */
export function PriceLegend({ sections, currency }: { sections: Section[]; currency: string }) {
  return (
    <ul className="grid gap-2" aria-label="Prices by section" data-testid="price-legend">
      {sections.map((s) => (
        <li key={s.id} className="flex items-center gap-3 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm">
          <span aria-hidden="true" className="h-4 w-4 shrink-0 rounded" style={{ background: s.color }} />
          <span className="min-w-0 flex-1">
            <span className="font-medium text-slate-900">{s.name}</span>
            <span className="block text-xs text-slate-700">
              {s.kind === "GA" ? "Standing / unreserved" : "Reserved seating"} ·{" "}
              {s.available > 0 ? `${s.available.toLocaleString("en")} of ${s.capacity.toLocaleString("en")} left` : "Sold out"}
            </span>
          </span>
          <span className="font-semibold tabular-nums">{s.priceMinor === 0 ? "Free" : formatMoney(s.priceMinor, currency)}</span>
        </li>
      ))}
    </ul>
  );
}

const STATES: { label: string; color: string; mark: "none" | "dash" | "cross" | "dot" | "slash"; ring?: boolean }[] = [
  { label: "Held by someone else", color: SEAT_COLORS.held, mark: "dash" },
  { label: "Sold", color: SEAT_COLORS.sold, mark: "cross" },
  { label: "Not on sale", color: SEAT_COLORS.blocked, mark: "slash" },
  { label: "Your selection", color: SEAT_COLORS.selected, mark: "dot" },
  { label: "Held for you", color: SEAT_COLORS.mine, mark: "dot" },
];

/** Seat state legend, drawn like the canvas draws the states. */
export function StateLegend({ accessible = false }: { accessible?: boolean }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700" aria-label="Seat states">
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className="h-3.5 w-3.5 rounded-sm bg-gradient-to-br from-brand-600 to-cyan-600" />
        Available (colour of its price)
      </li>
      {STATES.map((s) => (
        <li key={s.label} className="flex items-center gap-1.5">
          <svg aria-hidden="true" width="14" height="14" viewBox="0 0 14 14">
            <rect width="14" height="14" rx="3" fill={s.color} />
            {s.mark === "dash" && <path d="M4 7h6" stroke="#475569" strokeWidth="1.6" />}
            {s.mark === "cross" && <path d="M4 4l6 6M10 4l-6 6" stroke="#fff" strokeWidth="1.6" />}
            {s.mark === "dot" && <circle cx="7" cy="7" r="2.2" fill="#fff" />}
            {s.mark === "slash" && <path d="M4 10l6-6" stroke="#78716c" strokeWidth="1.6" />}
          </svg>
          {s.label}
        </li>
      ))}
      {accessible && (
        <>
          <li className="flex items-center gap-1.5">
            <span aria-hidden="true" className="flex h-3.5 w-3.5 items-center justify-center rounded-sm bg-brand-600 text-[10px] leading-none text-white">
              {"\u267F"}
            </span>
            Wheelchair space
          </li>
          <li className="flex items-center gap-1.5">
            <span
              aria-hidden="true"
              className="flex h-3.5 w-3.5 items-center justify-center rounded-sm bg-brand-600 text-[9px] font-bold leading-none text-white"
            >
              C
            </span>
            Companion seat
          </li>
        </>
      )}
    </ul>
  );
}
