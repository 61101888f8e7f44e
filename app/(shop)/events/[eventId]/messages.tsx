"use client";
import { useEffect, useState } from "react";
import { formatInZone, zoneLabel } from "@/lib/time-zone";

// The event page's announcements: a polite live region for what just happened (selection,
// holds), an assertive one for problems (conflicts, expiry), and a quiet line about the live
// inventory feed. Both regions stay in the page so screen readers track them from the start.
// The feed's time belongs to no place: like components/local-time.tsx, the server and the first
// render print it in UTC (the same text, so hydration agrees), then the browser's own clock.

export type Message = { tone: "info" | "success" | "warning" | "error"; text: string };

const TONES: Record<Message["tone"], string> = {
  info: "border-slate-200 bg-white text-slate-800",
  success: "border-emerald-300 bg-emerald-50 text-emerald-900",
  warning: "border-amber-300 bg-amber-50 text-amber-900",
  error: "border-red-300 bg-red-50 text-red-900",
};

export function Messages({ message, stale, generatedAt }: { message: Message | null; stale: boolean; generatedAt: string }) {
  const [zone, setZone] = useState("UTC");
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"), []);
  const urgent = message?.tone === "error" || message?.tone === "warning";
  const box = message ? `rounded-md border px-3 py-2 text-sm ${TONES[message.tone]}` : "";
  return (
    <div className="space-y-2">
      <div role="status" aria-live="polite" data-testid={urgent ? undefined : "shop-message"} className={message && !urgent ? box : "sr-only"}>
        {message && !urgent ? message.text : ""}
      </div>
      <div role="alert" aria-live="assertive" data-testid={urgent ? "shop-message" : undefined} className={message && urgent ? box : "sr-only"}>
        {message && urgent ? message.text : ""}
      </div>
      <p className="flex items-center gap-2 text-xs text-slate-700" data-testid="live-status">
        <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${stale ? "bg-amber-500" : "bg-emerald-500"}`} />
        <span>
          {stale
            ? "Reconnecting… showing the last known availability."
            : `Live availability · updated ${formatInZone(generatedAt, zone, { timeOnly: true, seconds: true })} ${zoneLabel(generatedAt, zone)}`}
        </span>
      </p>
    </div>
  );
}
