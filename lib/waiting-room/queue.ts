import "server-only";
import crypto from "node:crypto";
import type { Redis } from "@upstash/redis";
import { fail, type Failure } from "@/lib/errors";
import { assertRateLimit } from "@/lib/rate-limit";
import { UNAVAILABLE } from "@/lib/redis";
import { withQueueRedis } from "./redis";
import { BURST_SECONDS, QUEUE_TTL_SECONDS } from "./defaults";
import { keys, parsePlace, scripts, type PlaceReply } from "./scripts";
import { getRoomSettings, refillRoomSettings, type RoomSettings } from "./settings";
import { newVisitorId, signPass, signVisitor, verifyVisitor } from "./tokens";

// Joining the line and asking where you are. Both are one Lua script in Redis and a signature:
// no Postgres (settings come from the caches in settings.ts), so the queue stays responsive at
// many times the rate the booking path can take. Redis unreachable → service_unavailable: the
// queue page keeps the visitor waiting and retries; nobody is admitted without Redis.

export type QueueState = "off" | "not_in_line" | "waiting" | "admitted" | "expired";

export type QueueView = {
  eventId: string;
  eventTitle: string;
  state: QueueState;
  position: number | null; // 1 = next; null before the opening draw
  aheadOfYou: number | null;
  waiting: number; // people in line not admitted yet
  admitted: number; // admitted so far
  opensAt: string;
  opened: boolean;
  paused: boolean;
  admitPerMinute: number;
  estimatedWaitSeconds: number | null;
  progress: number; // 0..1
  pollAfterMs: number;
  pass: string | null;
  passExpiresAt: string | null;
  eventUrl: string;
  queueUrl: string;
  serverTime: string;
};

export type QueueResult = { ok: true; view: QueueView; visitorToken: string | null } | Failure;

// Generous: a busy event loop must not pass for an outage (a Redis that is really down fails at once).
const SCRIPT_TIMEOUT_MS = 2000;

function unavailable(visitorToken?: string): Failure {
  // The visitor's token travels even now: if the join did reach Redis, the retry finds the same
  // place instead of taking a second one.
  return fail("service_unavailable", "The waiting room is briefly unavailable. Keep this page open: it retries by itself, and nobody is let in meanwhile.", {
    retryAfter: 5,
    ...(visitorToken ? { visitorToken } : {}),
  });
}

const notFound = () => fail("not_found", "This event does not exist or is not on sale.");

function jitter(ms: number) {
  return Math.round(ms + Math.random() * Math.min(2000, ms / 2));
}

// Poll again when the estimate says it is this visitor's turn (2 s to 2 min, plus jitter). The
// estimate is exact while the rate holds (admission is computed, not observed), so a visitor
// asks about once per admission and the queue's load follows the admission rate, not the line's
// length; the page counts down between polls by itself. A lower rate or a pause only means one
// more poll; paused lines ask every 15 s so a resume is noticed soon.
function paced(etaMs: number | null) {
  return jitter(etaMs === null ? 15_000 : Math.min(120_000, Math.max(2_000, etaMs)));
}

function view(s: RoomSettings, p: PlaceReply | null, visitorId: string | null): QueueView {
  const now = p?.now ?? Date.now();
  const base = {
    eventId: s.eventId,
    eventTitle: s.title,
    opensAt: new Date(s.opensAt).toISOString(),
    eventUrl: `/events/${s.eventId}`,
    queueUrl: `/queue/${s.eventId}`,
    serverTime: new Date(now).toISOString(),
  };
  if (!p || p.state === 4) {
    return {
      ...base,
      state: "off",
      position: null,
      aheadOfYou: null,
      waiting: 0,
      admitted: 0,
      opened: now >= s.opensAt,
      paused: false,
      admitPerMinute: s.admitPerMinute,
      estimatedWaitSeconds: 0,
      progress: 1,
      pollAfterMs: 0,
      pass: null,
      passExpiresAt: null,
    };
  }
  const opened = now > p.opens;
  const common = {
    ...base,
    opensAt: new Date(p.opens).toISOString(),
    opened,
    paused: p.paused,
    admitPerMinute: p.rate,
    waiting: Math.max(0, p.total - p.admitted),
    admitted: p.admitted,
  };
  const none = { position: null, aheadOfYou: null, pass: null, passExpiresAt: null };
  if (p.state === 0) return { ...common, ...none, state: "not_in_line", estimatedWaitSeconds: null, progress: 0, pollAfterMs: 0 };
  if (p.state === 3) return { ...common, ...none, state: "expired", estimatedWaitSeconds: null, progress: 1, pollAfterMs: 0 };
  if (p.state === 2) {
    const expiresAt = p.admittedAt + p.sessionSeconds * 1000;
    return {
      ...common,
      state: "admitted",
      position: 0,
      aheadOfYou: 0,
      estimatedWaitSeconds: 0,
      progress: 1,
      pollAfterMs: 0,
      pass: signPass(s.eventId, visitorId!, expiresAt),
      passExpiresAt: new Date(expiresAt).toISOString(),
    };
  }
  if (!opened) {
    // Before the opening everyone here is in the draw: no position is shown, it is decided at
    // opening. Only the count changes until then, so the next poll is at this visitor's expected
    // admission instant after the opening (opening + rank / rate; the rank among early arrivals can
    // only grow, so this is never late by much). No 2 s floor here: a floor made the first few
    // hundred come back in the same second, and the admitted ones then reached the hold path as a
    // burst of twice the rate (measured in S8).
    const untilOpen = p.opens - now;
    const poll = untilOpen > 60_000 ? jitter(30_000) : Math.max(500, untilOpen) + ((p.rank + 1) * 60_000) / p.rate + Math.random() * 1_000;
    return { ...common, ...none, state: "waiting", estimatedWaitSeconds: Math.ceil(untilOpen / 1000), progress: 0, pollAfterMs: Math.round(poll) };
  }
  const position = p.rank - p.admitted + 1;
  const eta = p.paused ? null : Math.ceil((position * 60) / p.rate);
  const poll = paced(eta === null ? null : ((p.rank + 1 - p.admitted) * 60_000) / p.rate);
  return {
    ...common,
    state: "waiting",
    position,
    aheadOfYou: position - 1,
    estimatedWaitSeconds: eta,
    progress: Math.min(1, p.admitted / (p.rank + 1)),
    pollAfterMs: poll,
    pass: null,
    passExpiresAt: null,
  };
}

type Run = (redis: Redis, visitorId: string) => Promise<unknown>;

async function runPlace(eventId: string, run: Run, visitorId: string): Promise<PlaceReply | "none" | typeof UNAVAILABLE> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const reply = await withQueueRedis("waiting-room.place", (r) => run(r, visitorId), SCRIPT_TIMEOUT_MS);
    if (reply === UNAVAILABLE) return UNAVAILABLE;
    const p = parsePlace(reply);
    if (p !== "missing") return p;
    await refillRoomSettings(eventId); // the cached settings expired: read them again, then retry
  }
  return UNAVAILABLE;
}

function joinRun(eventId: string): Run {
  const k = keys(eventId);
  // 47 random bits: the draw that orders everyone who arrived before the opening.
  const early = () => crypto.randomInt(2 ** 47) / 2 ** 47;
  return (r, visitorId) =>
    scripts(r).join.exec([k.cfg, k.q, k.acc, k.adm, k.seq], [visitorId, String(early()), String(BURST_SECONDS), String(QUEUE_TTL_SECONDS)]);
}

function statusRun(eventId: string): Run {
  const k = keys(eventId);
  return (r, visitorId) => scripts(r).status.exec([k.cfg, k.q, k.acc, k.adm], [visitorId, String(BURST_SECONDS), String(QUEUE_TTL_SECONDS)]);
}

async function settingsOrFailure(eventId: string): Promise<RoomSettings | Failure> {
  try {
    return await getRoomSettings(eventId);
  } catch {
    return unavailable(); // Redis and Postgres both away
  }
}

/** Takes a place in line, or returns the place this visitor token already has (idempotent). */
/**
 * Takes a place in line (the same token keeps its place). `client` (the caller's IP address, from
 * the HTTP route) limits how many NEW places one address may take per minute for this event; a
 * visitor who already has a place is never limited. Over the limit: AppError rate_limited (429).
 */
export async function joinQueue(rawEventId: string, visitorToken: string | null | undefined, client?: string): Promise<QueueResult> {
  const s = await settingsOrFailure(rawEventId);
  if ("ok" in s) return s;
  const eventId = s.eventId; // its one spelling (lib/ids.ts): keys, limits and tokens agree
  if (!s.exists) return notFound();
  if (!s.enabled) return { ok: true, view: view(s, null, null), visitorToken: null };
  let visitorId = verifyVisitor(eventId, visitorToken);
  if (!visitorId) {
    if (client) await assertRateLimit("queueJoin", `${eventId}:${client}`);
    visitorId = newVisitorId();
  }
  const run = joinRun(eventId);
  let p = await runPlace(eventId, run, visitorId);
  if (p !== UNAVAILABLE && p !== "none" && p.state === 3) {
    // This visitor's admission is over: a new place at the end of the line.
    visitorId = newVisitorId();
    p = await runPlace(eventId, run, visitorId);
  }
  if (p === UNAVAILABLE) return unavailable(signVisitor(eventId, visitorId));
  if (p === "none") return notFound();
  return { ok: true, view: view(s, p, visitorId), visitorToken: p.state === 4 ? null : signVisitor(eventId, visitorId) };
}

/** Where this visitor is: position, estimate, and the pass once admitted. */
export async function queueStatus(rawEventId: string, visitorToken: string | null | undefined): Promise<QueueResult> {
  const s = await settingsOrFailure(rawEventId);
  if ("ok" in s) return s;
  const eventId = s.eventId;
  if (!s.exists) return notFound();
  if (!s.enabled) return { ok: true, view: view(s, null, null), visitorToken: null };
  const visitorId = verifyVisitor(eventId, visitorToken);
  // No valid token: ask with an id that cannot be a member, to report the line's length.
  const p = await runPlace(eventId, statusRun(eventId), visitorId ?? "-");
  if (p === UNAVAILABLE) return unavailable();
  if (p === "none") return notFound();
  return { ok: true, view: view(s, p, visitorId), visitorToken: visitorId ? signVisitor(eventId, visitorId) : null };
}
