// Button looks for links and buttons rendered by server components. components/ui/button.tsx
// is a "use client" module, so its buttonClass() cannot be called while rendering on the server
// (Next.js throws "Attempted to call buttonClass() from the server"); these are the same styles
// in a plain module that both sides can use.

const styles = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-brand-500/60",
  secondary: "border border-slate-300 bg-white text-slate-900 hover:bg-slate-50 disabled:opacity-60",
  danger: "bg-red-700 text-white hover:bg-red-800 disabled:opacity-60",
};

export function buttonStyles(variant: keyof typeof styles = "primary") {
  return `inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-semibold shadow-sm transition ${styles[variant]}`;
}
