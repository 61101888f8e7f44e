import { formatInZone } from "@/lib/time-zone";

// One badge per event, derived from its lifecycle status and sale window. Colours keep at
// least 4.5:1 contrast; the words carry the meaning, not the colour.

type EventLike = { status: string; saleStartsAt: string; saleEndsAt: string; endsAt: string; timeZone: string };

export type Badge = { label: string; tone: "green" | "blue" | "amber" | "red" | "slate" };

export function eventBadge(e: EventLike, now = new Date()): Badge {
  if (e.status === "CANCELLED") return { label: "Cancelled", tone: "red" };
  if (e.status === "COMPLETED" || new Date(e.endsAt) <= now) return { label: "Past event", tone: "slate" };
  if (e.status === "SOLD_OUT") return { label: "Sold out", tone: "amber" };
  if (new Date(e.saleStartsAt) > now) return { label: `Sale opens ${formatInZone(e.saleStartsAt, e.timeZone, { dateOnly: true })}`, tone: "blue" };
  if (new Date(e.saleEndsAt) <= now) return { label: "Sale closed", tone: "slate" };
  return { label: "On sale", tone: "green" };
}

const TONES: Record<Badge["tone"], string> = {
  green: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  blue: "bg-sky-100 text-sky-900 ring-sky-300",
  amber: "bg-amber-100 text-amber-900 ring-amber-300",
  red: "bg-red-100 text-red-900 ring-red-300",
  slate: "bg-slate-200 text-slate-800 ring-slate-300",
};

export function StatusBadge({ event }: { event: EventLike }) {
  const badge = eventBadge(event);
  return (
    <span
      data-testid="status-badge"
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${TONES[badge.tone]}`}
    >
      {badge.label}
    </span>
  );
}
