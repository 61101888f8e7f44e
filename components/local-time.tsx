"use client";
import { useEffect, useState } from "react";
import { formatDate, formatDateTime } from "./format";

// Times are stored in UTC; the server cannot know the viewer's zone, so the server renders its
// own zone and the browser re-renders in the viewer's zone after hydration.
export function LocalTime({ iso, dateOnly = false, className }: { iso: string; dateOnly?: boolean; className?: string }) {
  const [, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <time dateTime={iso} className={className} suppressHydrationWarning>
      {dateOnly ? formatDate(iso) : formatDateTime(iso)}
    </time>
  );
}
