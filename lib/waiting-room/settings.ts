import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { DEFAULT_TIME_ZONE } from "@/lib/time-zone";
import { db } from "@/db";
import { events, type Event } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { findManagedEvent } from "@/lib/auth/event-access";
import { knownAbsent, rememberAbsent } from "@/lib/absent-ids";
import { canonicalUuid, isUuid } from "@/lib/ids";
import { fail, fieldErrors, type Failure } from "@/lib/errors";
import { log } from "@/lib/log";
import { UNAVAILABLE } from "@/lib/redis";
import { withQueueRedis } from "./redis";
import { BURST_SECONDS, LIMITS, LOCAL_CACHE_MS, QUEUE_TTL_SECONDS, SETTINGS_TTL_SECONDS } from "./defaults";
import { keys, scripts } from "./scripts";

// A room's settings: Postgres (events.waiting_room, admit_per_minute, waiting_room_session_seconds,
// waiting_room_paused, sale window) is the truth. The admission path reads them from a 2-second
// in-process cache, then from a Redis hash kept for SETTINGS_TTL_SECONDS, and only on a miss from
// Postgres (one query per process at a time), so a queue poll or a pass check never waits on
// Postgres. An organizer's change is written through to Redis at once; other changes to the
// event (a new sale start) reach the cache within SETTINGS_TTL_SECONDS.

export type RoomSettings = {
  eventId: string;
  exists: boolean; // a published event
  enabled: boolean;
  admitPerMinute: number;
  sessionSeconds: number;
  paused: boolean;
  opensAt: number; // sale start, epoch ms
  closesAt: number; // sale end
  title: string;
  timeZone: string; // the venue's: the queue page shows times on its clock (lib/time-zone.ts)
};

const missing = (eventId: string): RoomSettings => ({
  eventId,
  exists: false,
  enabled: false,
  admitPerMinute: 1,
  sessionSeconds: 600,
  paused: false,
  opensAt: 0,
  closesAt: 0,
  title: "",
  timeZone: DEFAULT_TIME_ZONE,
});

export function settingsOf(
  e: Pick<
    Event,
    | "id"
    | "publishedAt"
    | "waitingRoom"
    | "admitPerMinute"
    | "waitingRoomSessionSeconds"
    | "waitingRoomPaused"
    | "saleStartsAt"
    | "saleEndsAt"
    | "title"
    | "timeZone"
  >,
): RoomSettings {
  return {
    eventId: e.id,
    exists: e.publishedAt !== null,
    enabled: e.waitingRoom,
    admitPerMinute: e.admitPerMinute,
    sessionSeconds: e.waitingRoomSessionSeconds,
    paused: e.waitingRoomPaused,
    opensAt: e.saleStartsAt.getTime(),
    closesAt: e.saleEndsAt.getTime(),
    title: e.title,
    timeZone: e.timeZone,
  };
}

async function readSettings(eventId: string): Promise<RoomSettings> {
  if (!isUuid(eventId) || knownAbsent("event", eventId)) return missing(eventId);
  const [row] = await db().select().from(events).where(eq(events.id, eventId)).limit(1);
  if (!row) rememberAbsent("event", eventId); // lib/absent-ids.ts
  return row?.publishedAt ? settingsOf(row) : missing(eventId);
}

// The title is stored with a prefix: the Redis client JSON-parses values, and a title such as
// "42" or "null" must stay text.
function toHash(s: RoomSettings): string[] {
  const b = (v: boolean) => (v ? "1" : "0");
  const n = (v: number) => String(Math.floor(v));
  return [
    "exists",
    b(s.exists),
    "on",
    b(s.enabled),
    "rate",
    n(s.admitPerMinute),
    "paused",
    b(s.paused),
    "opens",
    n(s.opensAt),
    "closes",
    n(s.closesAt),
    "sess",
    n(s.sessionSeconds),
    "title",
    `t:${s.title}`,
    "tz",
    `t:${s.timeZone}`,
  ];
}

function fromHash(eventId: string, h: Record<string, unknown>): RoomSettings {
  const on = (k: string) => String(h[k]) === "1";
  return {
    eventId,
    exists: on("exists"),
    enabled: on("on"),
    admitPerMinute: Number(h.rate),
    sessionSeconds: Number(h.sess),
    paused: on("paused"),
    opensAt: Number(h.opens),
    closesAt: Number(h.closes),
    title: String(h.title ?? "").replace(/^t:/, ""),
    // A hash cached before the zone was stored has none: UTC, labelled as such, until it is refreshed.
    timeZone: String(h.tz ?? "").replace(/^t:/, "") || DEFAULT_TIME_ZONE,
  };
}

const local = new Map<string, { at: number; value: RoomSettings }>();
const loading = new Map<string, Promise<RoomSettings>>();

/**
 * The room's settings through the caches. Throws only when Redis AND Postgres cannot answer.
 * `redisMs`: how long to wait for Redis before asking Postgres (the hold path waits briefly).
 */
export async function getRoomSettings(rawEventId: string, redisMs = 1000): Promise<RoomSettings> {
  // One spelling per event for every cache and Redis key; a malformed id is no event, answered
  // without touching a cache, Redis or PostgreSQL (a stream of made-up ids grows nothing).
  const eventId = canonicalUuid(rawEventId);
  if (!eventId) return missing(String(rawEventId));
  const hit = local.get(eventId);
  if (hit && Date.now() - hit.at < LOCAL_CACHE_MS) return hit.value;
  const cached = await withQueueRedis("waiting-room.settings", (r) => r.hgetall<Record<string, unknown>>(keys(eventId).cfg), redisMs);
  let value: RoomSettings;
  if (cached && cached !== UNAVAILABLE && cached.exists !== undefined) value = fromHash(eventId, cached);
  else {
    let load = loading.get(eventId);
    if (!load) {
      load = readSettings(eventId).finally(() => loading.delete(eventId));
      loading.set(eventId, load);
    }
    value = await load;
    if (cached !== UNAVAILABLE) await cacheInRedis(value);
  }
  if (local.size > 10_000) local.clear();
  local.set(eventId, { at: Date.now(), value });
  return value;
}

/** Puts the settings into Redis unless someone was first (the queue scripts read them there). */
export async function cacheInRedis(s: RoomSettings): Promise<void> {
  await withQueueRedis("waiting-room.fill", (r) => scripts(r).fill.exec([keys(s.eventId).cfg], [String(SETTINGS_TTL_SECONDS), ...toHash(s)]), 1000);
}

/** Straight from Postgres, cached again in Redis: the queue scripts found no settings there. */
export async function refillRoomSettings(eventId: string): Promise<RoomSettings> {
  const value = await readSettings(eventId);
  await cacheInRedis(value);
  local.set(eventId, { at: Date.now(), value });
  return value;
}

export const roomSettingsInput = z.strictObject({
  enabled: z.boolean(),
  admitPerMinute: z.coerce
    .number({ message: "Enter a number of customers per minute" })
    .int("Use a whole number")
    .min(LIMITS.admitPerMinute.min, "Admit at least 1 customer per minute")
    .max(LIMITS.admitPerMinute.max, `At most ${LIMITS.admitPerMinute.max.toLocaleString("en")} per minute`),
  sessionMinutes: z.coerce
    .number({ message: "Enter a number of minutes" })
    .int("Use whole minutes")
    .min(LIMITS.sessionMinutes.min, "At least 1 minute")
    .max(LIMITS.sessionMinutes.max, `At most ${LIMITS.sessionMinutes.max} minutes`),
  paused: z.boolean(),
});
export type RoomSettingsInput = z.input<typeof roomSettingsInput>;

/** The organizer of the event (or an admin) changes its room; takes effect at once in Redis. */
export async function updateRoomSettings(actor: Actor, eventId: string, input: RoomSettingsInput): Promise<{ ok: true; settings: RoomSettings } | Failure> {
  const parsed = roomSettingsInput.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  const event = await findManagedEvent(actor, eventId);
  if (!event) return fail("not_found", "This event does not exist.");
  const { enabled, admitPerMinute, sessionMinutes, paused } = parsed.data;
  const [row] = await db()
    .update(events)
    .set({ waitingRoom: enabled, admitPerMinute, waitingRoomSessionSeconds: sessionMinutes * 60, waitingRoomPaused: paused })
    .where(eq(events.id, event.id))
    .returning();
  const settings = settingsOf(row);
  const written = await withQueueRedis(
    "waiting-room.reconfigure",
    (r) => {
      const k = keys(eventId);
      return scripts(r).reconfigure.exec(
        [k.cfg, k.q, k.acc],
        [String(BURST_SECONDS), String(SETTINGS_TTL_SECONDS), String(QUEUE_TTL_SECONDS), ...toHash(settings)],
      );
    },
    2000,
  );
  // Unwritten, the cached copy still expires within SETTINGS_TTL_SECONDS and is read again.
  if (written === UNAVAILABLE) log.warn("waiting_room.settings_not_cached", { eventId });
  local.delete(eventId);
  return { ok: true, settings };
}

/** The room guards holds: published, switched on, and the sale not over. */
export function guardsHolds(s: RoomSettings, now = Date.now()): boolean {
  return s.exists && s.enabled && now < s.closesAt;
}
