"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { decodeStates } from "@/lib/seatmap/bitmap";
import type { InventorySnapshot, SnapshotSection } from "@/lib/seatmap/types";

// Live inventory: polls the compact snapshot (2 bits per seat) with If-None-Match, so an
// unchanged event costs a 304 with no body. Pauses while the tab is hidden and catches up at
// once when it becomes visible. The server keeps each snapshot for up to 1 s (lib/inventory),
// so a 1 s poll bounds the delay before others' changes appear at 2 s; at 1.5 s it would be 2.5.

export const POLL_MS = 1000;

export type Live = { states: Uint8Array; sections: SnapshotSection[]; status: string; generatedAt: string };

function fromSnapshot(s: InventorySnapshot): Live {
  return { states: decodeStates(s.seats.data, s.seats.count), sections: s.sections, status: s.status, generatedAt: s.generatedAt };
}

export function useInventory(eventId: string, initial: InventorySnapshot) {
  const [live, setLive] = useState<Live>(() => fromSnapshot(initial));
  const etag = useRef(initial.etag);
  const inFlight = useRef(false);
  const [stale, setStale] = useState(false);

  const refresh = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const res = await fetch(`/api/v1/events/${eventId}/inventory`, {
        headers: { "If-None-Match": etag.current, Accept: "application/json" },
        cache: "no-store",
      });
      if (res.status === 304) {
        setStale(false);
        return;
      }
      if (!res.ok) throw new Error(`inventory ${res.status}`);
      const snap = (await res.json()) as InventorySnapshot;
      etag.current = res.headers.get("ETag") ?? snap.etag;
      setLive(fromSnapshot(snap));
      setStale(false);
    } catch {
      setStale(true); // keep showing the last known map; say so
    } finally {
      inFlight.current = false;
    }
  }, [eventId]);

  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, POLL_MS);
    const onVisible = () => document.visibilityState === "visible" && void refresh();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(id);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [refresh]);

  return { live, refresh, stale };
}
