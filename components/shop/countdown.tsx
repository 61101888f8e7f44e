"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { formatRemaining } from "../format";

// A hold's countdown. The deadline is the server's (database clock); the page passes the
// server's "now" at render so a wrong clock on the visitor's device does not skew it. The timer
// itself is silent for screen readers (aria-live off) and a separate polite region speaks at a
// few milestones instead of every second.

const MILESTONES = [300, 120, 60, 30, 10];

export function Countdown({
  expiresAt,
  serverNow,
  onExpire,
  refreshOnExpire = false,
  className,
}: {
  expiresAt: string;
  serverNow: string;
  onExpire?: () => void;
  refreshOnExpire?: boolean; // server pages: re-render when the hold ends
  className?: string;
}) {
  const router = useRouter();
  const deadline = Date.parse(expiresAt);
  const [remaining, setRemaining] = useState(() => deadline - Date.parse(serverNow));
  const [spoken, setSpoken] = useState("");
  const onExpireRef = useRef(onExpire);
  onExpireRef.current = refreshOnExpire ? () => setTimeout(() => router.refresh(), 1000) : onExpire;

  useEffect(() => {
    const offset = Date.parse(serverNow) - Date.now();
    let fired = false;
    let lastMilestone = Infinity;
    const tick = () => {
      const left = deadline - (Date.now() + offset);
      setRemaining(left);
      const seconds = Math.ceil(left / 1000);
      const milestone = MILESTONES.find((m) => seconds <= m && m < lastMilestone && seconds > m - 5);
      if (milestone !== undefined) {
        lastMilestone = milestone;
        setSpoken(milestone >= 60 ? `${milestone / 60} minute${milestone === 60 ? "" : "s"} left on your hold` : `${milestone} seconds left on your hold`);
      }
      if (left <= 0 && !fired) {
        fired = true;
        onExpireRef.current?.();
      }
    };
    tick();
    const id = setInterval(tick, 250);
    return () => clearInterval(id);
  }, [deadline, serverNow]);

  const urgent = remaining < 60_000;
  return (
    <>
      <span role="timer" aria-live="off" data-testid="countdown" className={`${className ?? ""} tabular-nums ${urgent ? "text-red-700" : ""}`}>
        {formatRemaining(remaining)}
      </span>
      <span className="sr-only" aria-live="polite">
        {spoken}
      </span>
    </>
  );
}
