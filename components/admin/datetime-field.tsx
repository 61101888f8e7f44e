"use client";
import { useState } from "react";
import { Field } from "@/components/ui/form";
import { canonicalTimeZone, fromWallInput, toWallInput, zoneLabel } from "@/lib/time-zone";

// A date-and-time input on the venue's clock: the organizer types the time as it will read at
// the venue (whatever their own computer's zone), and the hidden field carries the exact instant
// (ISO, UTC) to the server. The conversion uses the zone alone (lib/time-zone.ts), so the server
// and the browser render the same visible value.

export function DateTimeField({
  name,
  label,
  defaultIso,
  timeZone,
  errors,
  disabled,
}: {
  name: string;
  label: string;
  defaultIso?: string;
  timeZone: string;
  errors?: string[];
  disabled?: boolean;
}) {
  // What was typed, kept as typed when the zone changes: the clock time at the venue is what counts.
  // A zone being typed (not one yet) sends no instant, and the server names the field.
  const zone = canonicalTimeZone(timeZone);
  const [wall, setWall] = useState(defaultIso && zone ? toWallInput(defaultIso, zone) : "");
  const instant = wall && zone ? fromWallInput(wall, zone) : null;
  const iso = instant ? instant.toISOString() : "";
  const hint = zone ? `On the venue's clock: ${zone}${instant ? ` (${zoneLabel(instant, zone)})` : ""}.` : "Give the venue a valid time zone first.";
  return (
    <Field label={label} name={name} errors={errors} hint={hint}>
      <input
        id={name}
        type="datetime-local"
        value={wall}
        disabled={disabled}
        onChange={(e) => setWall(e.target.value)}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={`${name}-error`}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm aria-[invalid=true]:border-red-600"
      />
      <input type="hidden" name={name} value={iso} />
    </Field>
  );
}
