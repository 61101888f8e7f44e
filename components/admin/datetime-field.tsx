"use client";
import { useEffect, useState } from "react";
import { Field } from "@/components/ui/form";

// A date-and-time input in the organizer's own time zone. The visible datetime-local input has
// no zone; the hidden field carries the exact instant (ISO, UTC) to the server. The server
// cannot know the browser's zone, so the visible value is filled in after hydration.

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function DateTimeField({
  name,
  label,
  defaultIso,
  errors,
  disabled,
}: {
  name: string;
  label: string;
  defaultIso?: string;
  errors?: string[];
  disabled?: boolean;
}) {
  const [local, setLocal] = useState<string | null>(null);
  useEffect(() => setLocal(defaultIso ? toLocalInput(defaultIso) : ""), [defaultIso]);
  const parsed = local ? new Date(local) : null;
  const iso = local === null ? (defaultIso ?? "") : parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : "";
  return (
    <Field label={label} name={name} errors={errors}>
      <input
        id={name}
        type="datetime-local"
        value={local ?? ""}
        disabled={disabled}
        onChange={(e) => setLocal(e.target.value)}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={`${name}-error`}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm aria-[invalid=true]:border-red-600"
      />
      <input type="hidden" name={name} value={iso} />
    </Field>
  );
}
