"use client";
import { useEffect, useState } from "react";
import { formatInZone, zoneLabel } from "@/lib/time-zone";

// A moment that belongs to no place (when a booking was made, a log line): shown on the viewer's
// clock, labelled. The server cannot know that clock, so the server and the first render in the
// browser both print UTC — the same text, so hydration never disagrees — and the browser then
// switches to its own zone. Times of an event are shown on its venue's clock instead
// (components/zoned-time.tsx).
export function LocalTime({ iso, dateOnly = false, className }: { iso: string; dateOnly?: boolean; className?: string }) {
  const [zone, setZone] = useState("UTC");
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"), []);
  return (
    <time dateTime={iso} className={className}>
      {formatInZone(iso, zone, { dateOnly })}
      {!dateOnly && <span className="whitespace-nowrap"> {zoneLabel(iso, zone)}</span>}
    </time>
  );
}
