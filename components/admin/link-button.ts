// Button look for links in server components. (components/ui/button.tsx is a client module, so
// its linkButton() cannot be called while rendering on the server.)
const styles = {
  primary: "bg-brand-600 text-white hover:bg-brand-700",
  secondary: "border border-slate-300 bg-white text-slate-900 hover:bg-slate-50",
  danger: "bg-red-700 text-white hover:bg-red-800",
};

export function linkButton(variant: keyof typeof styles = "primary") {
  return `inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-semibold shadow-sm transition disabled:opacity-60 ${styles[variant]}`;
}
