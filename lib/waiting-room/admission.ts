import "server-only";
import { fail, type Failure } from "@/lib/errors";
import { UNAVAILABLE } from "@/lib/redis";
import { withQueueRedis } from "./redis";
import { QUEUE_TTL_SECONDS } from "./defaults";
import { keys, scripts } from "./scripts";
import { getRoomSettings, guardsHolds } from "./settings";
import { verifyPass } from "./tokens";

// The check in front of the hold path (REST POST …/reservations and the storefront's hold
// action) while an event's waiting room is on. Cheap by design: cached settings, an HMAC, and
// one small Redis script; never Postgres.
//
// What a pass is good for ("single-use-per-event"): one visitor's admission to ONE event's hold
// path until it expires (the room's session length, counted from the admission). The first
// signed-in user who holds seats with it owns it; the same pass presented by anyone else is a
// replay and refused, as is any pass after its expiry (checked on Redis's clock), and a visitor
// whose session ended gets no new pass without queueing again. Holding, adding seats and paying
// within the session are one shopping trip and all allowed. With Redis unreachable a pass is
// still checked by signature and expiry (so admitted customers can finish), but the owner
// binding cannot be recorded; no new passes are issued then, so nobody new gets in.

export type QueueRequired = Failure<"queue_required">;
export type Admission = { ok: true; visitorId: string | null } | QueueRequired;

// The hold path waits briefly for Redis: a hung Redis must not slow every hold down (settings
// then come from Postgres, and the owner binding is skipped as when Redis is down).
const REDIS_MS = 250;

function queueRequired(eventId: string, reason: string, message: string): QueueRequired {
  return fail("queue_required", message, { reason, queueUrl: `/queue/${eventId}`, joinUrl: `/api/v1/events/${eventId}/queue` });
}

const ENDED = "Your turn to shop for this event has ended. Join the queue again to continue.";
const USED = "This admission pass was already used by another account. Join the queue to get your own.";

/**
 * The part of the check that needs no Redis round trip: cached settings and the pass's signature
 * and expiry. A pass to bind (null: the room does not guard this event's holds now), or the refusal.
 */
export async function holdPass(
  eventId: string,
  passToken: string | null | undefined,
): Promise<{ ok: true; pass: { visitorId: string; expiresAt: number } | null } | QueueRequired> {
  const settings = await getRoomSettings(eventId, REDIS_MS);
  if (!guardsHolds(settings)) return { ok: true, pass: null };
  const pass = verifyPass(eventId, passToken);
  if (!pass.ok) {
    const message =
      pass.reason === "expired" ? ENDED : "This event has a waiting room. Join the queue: you will be let in with an admission pass when it is your turn.";
    return queueRequired(eventId, pass.reason, message);
  }
  return { ok: true, pass: { visitorId: pass.visitorId, expiresAt: pass.expiresAt } };
}

/** The refusal when binding the pass failed: expired by Redis's clock, or first used by another account. */
export function passRefused(eventId: string, why: "expired" | "used"): QueueRequired {
  return queueRequired(eventId, why, why === "expired" ? ENDED : USED);
}

export async function checkHoldAdmission(eventId: string, userId: string, passToken: string | null | undefined): Promise<Admission> {
  const checked = await holdPass(eventId, passToken);
  if (!checked.ok) return checked;
  const pass = checked.pass;
  if (!pass) return { ok: true, visitorId: null };
  const claimed = await withQueueRedis(
    "waiting-room.claim",
    (r) => scripts(r).claim.exec([keys(eventId).claim], [pass.visitorId, userId, String(pass.expiresAt), String(QUEUE_TTL_SECONDS)]),
    REDIS_MS,
  );
  if (claimed === UNAVAILABLE) return { ok: true, visitorId: pass.visitorId };
  if (Number(claimed) === -1) return passRefused(eventId, "expired");
  if (Number(claimed) === 0) return passRefused(eventId, "used");
  return { ok: true, visitorId: pass.visitorId };
}
