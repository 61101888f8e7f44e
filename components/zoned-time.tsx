"use client";
import { useEffect, useState } from "react";
import { formatInZone, offsetMinutes, zoneLabel } from "@/lib/time-zone";

// A time shown on the clock of the place it belongs to (an event's venue), labelled with that
// zone's offset: the same text on the server and after hydration, whatever zone either machine
// is in. With `yours`, a visitor whose own clock differs also sees the time on their clock, added
// once the page runs in their browser (the server cannot know it).
export function ZonedTime({
  iso,
  timeZone,
  dateOnly = false,
  yours = false,
  className,
}: {
  iso: string;
  timeZone: string;
  dateOnly?: boolean;
  yours?: boolean;
  className?: string;
}) {
  const [local, setLocal] = useState<string | null>(null);
  useEffect(() => {
    if (!yours || dateOnly) return;
    const mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!mine || offsetMinutes(new Date(iso), mine) === offsetMinutes(new Date(iso), timeZone)) return;
    setLocal(`${formatInZone(iso, mine)} ${zoneLabel(iso, mine)}`);
  }, [iso, timeZone, yours, dateOnly]);
  return (
    <time dateTime={iso} className={className} title={timeZone}>
      {formatInZone(iso, timeZone, { dateOnly })}
      {!dateOnly && <span className="whitespace-nowrap"> {zoneLabel(iso, timeZone)}</span>}
      {local && <span className="text-slate-600"> (your time: {local})</span>}
    </time>
  );
}
