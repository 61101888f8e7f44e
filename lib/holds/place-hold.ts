import "server-only";
import crypto from "node:crypto";
import { invalidCaller, loadActor, type Claims } from "@/lib/auth/actor";
import { fail, type Failure } from "@/lib/errors";
import { canonicalUuid } from "@/lib/ids";
import { assertRateLimit, rateLimitedError, type RateLimitInfo } from "@/lib/rate-limit";
import { env } from "@/lib/env";
import { holdRaceDelay } from "@/lib/test-switches";
import { checkHoldAdmission, holdPass, passRefused } from "@/lib/waiting-room/admission";
import type { Pick } from "./claim";
import { customerLimitRefusal, overCustomerLimit } from "./customer-limit";
import { holdParsed, notFound, overLimit, parseHoldRequest, saleRefusal, seatTaken } from "./hold";
import { runHoldGuards } from "./hold-guards";
import { holdInOneStatement, type HoldStatementResult } from "./hold-statement";
import { releasePreLocks } from "./prelock";
import type { HoldRequest, ReservationView } from "./types";

// A customer asks to hold places — the one use case behind the website's hold actions and the
// REST API's POST …/reservations, so both meet the same guards in the same order:
//   1. the request's shape (event id and seats or section + quantity);
//   2. the waiting room: while it guards the event, only an admitted visitor's pass gets in;
//   3. the per-customer rate limit (rate_limited, as every limit);
//   4. the caller's identity at its current session version, then the hold itself.
// The usual case — a new reservation — costs one Redis round trip (pass, limit and pre-lock in
// one script, ./hold-guards.ts) and one PostgreSQL round trip (caller, sale facts and claim in one
// statement, ./hold-statement.ts). Anything else (adding to an open reservation, a seat the
// pre-lock refused, Redis away, a race with the customer's own other request) takes the step by
// step path of ./hold.ts with the caller checked first, and answers exactly as it always did.

export type PlaceHoldResult = { ok: true; reservation: ReservationView; rateLimit: RateLimitInfo | null; serverNow: string | null } | Failure;

// The pre-lock lives as long as a new hold (the event's hold time), never longer: a key that
// outlived its hold would turn customers away from a free seat. The hold time comes back with
// every hold statement; before the first one in this process, a 1 s pre-lock (the shortest hold
// time allowed) still sheds a rush.
const holdMs = new Map<string, number>();
const MAX_REMEMBERED = 10_000;

function remember(eventId: string, holdSeconds: number) {
  if (holdMs.size >= MAX_REMEMBERED && !holdMs.has(eventId)) holdMs.clear();
  holdMs.set(eventId, holdSeconds * 1000);
}

export async function placeHold(caller: Claims, rawEventId: string, request: unknown, passToken: string | null | undefined): Promise<PlaceHoldResult> {
  const eventId = canonicalUuid(rawEventId);
  if (!eventId) return fail("validation_failed", "Not a valid event id.", { fields: { eventId: ["Not a valid event id"] } });
  const parsed = parseHoldRequest(request);
  if (!parsed.ok) return parsed;
  // The control tests' unguarded hold replaces the step-by-step path only.
  if (env().TESSERA_TEST_UNGUARDED) return stepByStep(caller, eventId, parsed.request, passToken);

  const room = await holdPass(eventId, passToken);
  if (!room.ok) return room;
  const pick: Pick = "seatIds" in parsed.request ? { kind: "seats", ids: parsed.request.seatIds } : { kind: "ga", ...parsed.request };
  const reservationId = crypto.randomUUID();
  const seatIds = pick.kind === "seats" ? pick.ids : [];
  const guards = await runHoldGuards({ eventId, userId: caller.userId, pass: room.pass, reservationId, seatIds, preLockMs: holdMs.get(eventId) ?? 1000 });
  if (guards.kind === "pass_expired" || guards.kind === "pass_used") return passRefused(eventId, guards.kind === "pass_expired" ? "expired" : "used");
  if (guards.kind === "rate_limited") throw rateLimitedError(guards.rateLimit);
  const rateLimit = guards.kind === "unavailable" ? null : guards.rateLimit;
  // A refused pre-lock, as before: the caller, the sale and the customer's own reservation are
  // judged first (step by step), and a seat another reservation holds is named last.
  if (guards.kind === "taken") return withLimit(await stepByStepAfterGuards(caller, eventId, parsed.request), rateLimit);
  // Redis slow or away: the script may still have run, so a refusal clears whatever carries our id.
  const preLocked = guards.kind === "passed" ? guards.setIds : seatIds;

  let r: HoldStatementResult;
  try {
    await holdRaceDelay(); // race tests only
    r = await holdInOneStatement({ userId: caller.userId, sessionVersion: caller.sessionVersion, eventId, reservationId, pick });
  } catch (err) {
    await releasePreLocks(eventId, reservationId, preLocked);
    throw err;
  }
  if (r.event) remember(eventId, r.event.holdSeconds);
  if (r.ok && r.written) return { ok: true, reservation: newView(reservationId, eventId, r), rateLimit, serverNow: r.now };
  await releasePreLocks(eventId, reservationId, preLocked);
  if (!r.actor) throw invalidCaller(caller.source);
  const refusal = refusalOf(r, pick);
  if (refusal) return refusal;
  // An open reservation to add to or pay for, places another claim is locking right now, or the
  // customer's other request opening a reservation first: the step by step path decides.
  return withLimit(await holdParsed(r.actor, eventId, parsed.request), rateLimit);
}

function refusalOf(r: HoldStatementResult, pick: Pick): Failure | null {
  if (!r.event || !r.event.published) return notFound();
  const sale = saleRefusal(r.event);
  // Before the public sale the step-by-step path decides: a customer with an access code may hold
  // in the presale (lib/promo-codes/access.ts). Only these holds pay its extra round trips.
  if (sale && r.event.saleNotStarted && r.event.status !== "CANCELLED" && r.event.status !== "COMPLETED") return null;
  if (sale) return sale;
  if (r.hasOpen) return null;
  if (pick.kind === "ga" && r.sectionKind !== "GA") {
    return r.sectionKind === null
      ? fail("validation_failed", "That section does not belong to this event.", { fields: { sectionId: ["Unknown section"] } })
      : fail("validation_failed", "That section has assigned seats: pick seats by id.", { fields: { sectionId: ["Not a general-admission section"] } });
  }
  const count = pick.kind === "seats" ? pick.ids.length : pick.quantity;
  if (count > r.event.maxPerOrder) return overLimit(r.event.maxPerOrder, 0);
  if (overCustomerLimit(r.event.maxPerCustomer, r.customerPlaces, count)) return customerLimitRefusal(r.event.maxPerCustomer!, r.customerPlaces!);
  if (!r.went || r.ok) return null;
  if (pick.kind === "seats") {
    const found = new Set(r.foundIds ?? []);
    const unknown = pick.ids.filter((id) => !found.has(id));
    if (unknown.length) {
      return fail("validation_failed", "Some seats do not belong to this event.", { fields: { seatIds: [`Unknown seats: ${unknown.join(", ")}`] } });
    }
    const free = new Set(r.freeIds);
    return seatTaken(pick.ids.filter((id) => !free.has(id)));
  }
  const available = r.available ?? 0;
  if (available >= pick.quantity) return null; // places being claimed by others right now: try again step by step
  return fail("sold_out", available === 0 ? "This section is sold out." : `Only ${available} place${available === 1 ? "" : "s"} left in this section.`, {
    available,
  });
}

function newView(id: string, eventId: string, r: HoldStatementResult): ReservationView {
  return {
    id,
    eventId,
    status: "ACTIVE",
    expiresAt: r.expiresAt!,
    paymentDeadline: null,
    quantity: r.items.length,
    amountMinor: r.amountMinor,
    currency: r.event!.currency,
    items: r.items,
  };
}

type Held = Awaited<ReturnType<typeof holdParsed>>;

function withLimit(held: Held, rateLimit: RateLimitInfo | null): PlaceHoldResult {
  return held.ok ? { ...held, rateLimit, serverNow: null } : held;
}

/** The caller checked on its own, then the step by step hold (guards already passed). */
async function stepByStepAfterGuards(caller: Claims, eventId: string, request: HoldRequest): Promise<Held> {
  const actor = await loadActor(caller.userId, caller.sessionVersion);
  if (!actor) throw invalidCaller(caller.source);
  return holdParsed(actor, eventId, request);
}

/** Every guard one by one, as the hold always ran (the control tests' unguarded hold lives here). */
async function stepByStep(caller: Claims, eventId: string, request: HoldRequest, passToken: string | null | undefined): Promise<PlaceHoldResult> {
  const actor = await loadActor(caller.userId, caller.sessionVersion);
  if (!actor) throw invalidCaller(caller.source);
  const admission = await checkHoldAdmission(eventId, actor.id, passToken);
  if (!admission.ok) return admission;
  const rateLimit = await assertRateLimit("reservation", actor.id);
  return withLimit(await holdParsed(actor, eventId, request), rateLimit);
}
