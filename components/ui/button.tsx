"use client";
import type { ButtonHTMLAttributes } from "react";
import { useFormStatus } from "react-dom";

const styles = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-brand-500/60",
  secondary: "border border-slate-300 bg-white text-slate-900 hover:bg-slate-50 disabled:opacity-60",
  danger: "bg-red-700 text-white hover:bg-red-800 disabled:opacity-60",
};

export function buttonClass(variant: keyof typeof styles = "primary") {
  return `inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-semibold shadow-sm transition ${styles[variant]}`;
}

/** A submit button that disables itself while its form is pending (no double submits). */
export function SubmitButton({ children, pendingText, variant = "primary", ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { pendingText?: string; variant?: keyof typeof styles }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending || rest.disabled} aria-disabled={pending} className={buttonClass(variant)} {...rest}>
      {pending ? (pendingText ?? "Working…") : children}
    </button>
  );
}
