import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

// Form primitives: a label, the control, and its error message announced politely to
// screen readers. Field errors come from lib/actions.ts ActionState.fieldErrors.

type FieldProps = { label: string; name: string; errors?: string[]; hint?: ReactNode; children?: ReactNode };

export function Field({ label, name, errors, hint, children }: FieldProps) {
  const errorId = `${name}-error`;
  return (
    <div className="space-y-1">
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint && !errors?.length && <p className="text-xs text-slate-600">{hint}</p>}
      <p id={errorId} aria-live="polite" className="min-h-0 text-sm text-red-700">
        {errors?.[0]}
      </p>
    </div>
  );
}

const control =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-600 aria-[invalid=true]:border-red-600";

export function Input({ name, invalid, ...rest }: InputHTMLAttributes<HTMLInputElement> & { name: string; invalid?: boolean }) {
  return <input id={name} name={name} aria-invalid={invalid || undefined} aria-describedby={`${name}-error`} className={control} {...rest} />;
}

export function Textarea({ name, invalid, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement> & { name: string; invalid?: boolean }) {
  return <textarea id={name} name={name} aria-invalid={invalid || undefined} aria-describedby={`${name}-error`} className={control} {...rest} />;
}

export function Select({ name, invalid, children, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { name: string; invalid?: boolean }) {
  return (
    <select id={name} name={name} aria-invalid={invalid || undefined} aria-describedby={`${name}-error`} className={control} {...rest}>
      {children}
    </select>
  );
}

export function FormError({ message }: { message?: string }) {
  return (
    <div role="alert" aria-live="assertive" className={message ? "rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" : "sr-only"}>
      {message}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
      {children}
    </div>
  );
}
