import "server-only";
import type { Actor } from "@/lib/auth/roles";
import { findManagedEvent } from "@/lib/auth/event-access";
import { fail, type Failure } from "@/lib/errors";
import { UNAVAILABLE } from "@/lib/redis";
import { withQueueRedis } from "./redis";
import { BURST_SECONDS, QUEUE_TTL_SECONDS } from "./defaults";
import { keys, scripts } from "./scripts";
import { cacheInRedis, settingsOf, type RoomSettings } from "./settings";

// What the organizer sees: the settings (from Postgres, fresh) and the live line (from Redis).

export type RoomStats = {
  enabled: boolean;
  paused: boolean;
  admitPerMinute: number;
  sessionMinutes: number;
  opensAt: string;
  live: null | {
    joined: number; // everyone who ever took a place
    admitted: number; // let in so far
    waiting: number;
    passesIssued: number; // admitted visitors who came back for their pass
    estimatedSecondsToClear: number | null; // null while paused
    serverTime: string;
  };
};

type StatsReply = [number, number, number, number, number, number, number, number, number];

async function liveStats(s: RoomSettings): Promise<RoomStats["live"]> {
  const k = keys(s.eventId);
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await withQueueRedis(
      "waiting-room.stats",
      (redis) => scripts(redis).stats.exec([k.cfg, k.q, k.acc, k.adm], [String(BURST_SECONDS), String(QUEUE_TTL_SECONDS)]),
      1000,
    );
    if (r === UNAVAILABLE) return null;
    const reply = (r as unknown[]).map(Number) as StatsReply;
    if (reply[0] === -1) {
      await cacheInRedis(s);
      continue;
    }
    if (reply[0] === -2) return null;
    const [joined, admitted, passesIssued, now, , rate, paused] = reply;
    const waiting = Math.max(0, joined - admitted);
    return {
      joined,
      admitted,
      waiting,
      passesIssued,
      estimatedSecondsToClear: paused ? null : Math.ceil((waiting * 60) / rate),
      serverTime: new Date(now).toISOString(),
    };
  }
  return null;
}

export async function getRoomStats(actor: Actor, eventId: string): Promise<{ ok: true; stats: RoomStats } | Failure> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return fail("not_found", "This event does not exist.");
  const settings = settingsOf(event);
  return {
    ok: true,
    stats: {
      enabled: settings.enabled,
      paused: settings.paused,
      admitPerMinute: settings.admitPerMinute,
      sessionMinutes: Math.round(settings.sessionSeconds / 60),
      opensAt: event.saleStartsAt.toISOString(),
      // Unpublished events have no line (their queue settings read as "no such event").
      live: settings.exists ? await liveStats(settings) : null,
    },
  };
}
