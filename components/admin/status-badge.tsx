const STYLES: Record<string, string> = {
  DRAFT: "bg-slate-200 text-slate-800",
  UPCOMING: "bg-sky-100 text-sky-900",
  ON_SALE: "bg-emerald-100 text-emerald-900",
  SOLD_OUT: "bg-violet-100 text-violet-900",
  COMPLETED: "bg-slate-100 text-slate-700",
  CANCELLED: "bg-red-100 text-red-900",
};

export function StatusBadge({ status, published }: { status: string; published: boolean }) {
  const key = !published && status !== "CANCELLED" ? "DRAFT" : status;
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${STYLES[key] ?? STYLES.DRAFT}`} data-testid="event-status">
      {key.replace("_", " ").toLowerCase()}
    </span>
  );
}
