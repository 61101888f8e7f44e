export function MapButton({ label, onClick, children }: { label: string; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-label={label}
      title={label}
      className="flex h-9 w-9 items-center justify-center rounded-md border border-slate-300 bg-white/95 text-lg font-bold text-slate-800 shadow-sm hover:bg-slate-100"
    >
      <span aria-hidden="true">{children}</span>
    </button>
  );
}
