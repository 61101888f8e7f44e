import "server-only";
import crypto from "node:crypto";
import type { Actor } from "@/lib/auth/roles";
import { canonicalUuid } from "@/lib/ids";
import { fail, fieldErrors, type Failure } from "@/lib/errors";
import { log } from "@/lib/log";
import { holdRaceDelay, unguardedHoldIfOn } from "@/lib/test-switches";
import { UNAVAILABLE } from "@/lib/redis";
import { claimAdd, claimNew, type ClaimResult, type Pick } from "./claim";
import { customerLimitRefusal, overCustomerLimit } from "./customer-limit";
import { expireStaleReservation, loadHoldContext, type HoldContext } from "./context";
import { releasePreLocks } from "./prelock";
import { getReservationById } from "./read";
import { preLockHealing } from "./stale-prelock";
import { holdRequestSchema } from "./schemas";
import type { HoldRequest, ReservationView } from "./types";

// holdSeats: a customer holds assigned seats or GA places, all or nothing.
//   1. one read: the event's sale facts and the customer's open reservation (database clock);
//   2. assigned seats: the Redis pre-lock (one Lua script, all or none) sheds contention;
//      Redis down or slow → skipped, Postgres alone stays correct (see docs/invariants.md, I6);
//      a refusal PostgreSQL does not back heals itself (./stale-prelock.ts);
//   3. one claim statement in Postgres, fenced (see claim.ts). A refusal releases the keys set.
// A customer has at most one open reservation per event: a new hold ADDS to the ACTIVE one
// (keeping its expiry, the total capped by max_per_order); while it is in PAYMENT a new hold is
// refused with reservation_locked.

type HoldResult = { ok: true; reservation: ReservationView } | Failure;
const RETRY = Symbol("retry");
const ATTEMPTS = 4;

/** The hold request's shape checked (the same refusal whoever asks), or the refusal. */
export function parseHoldRequest(req: unknown): { ok: true; request: HoldRequest } | Failure<"validation_failed"> {
  const parsed = holdRequestSchema.safeParse(req);
  if (!parsed.success) return fail("validation_failed", "Your hold request has invalid fields.", { fields: fieldErrors(parsed.error) });
  return { ok: true, request: parsed.data };
}

/** Holds the places (the rule alone; the website and the API come through ./place-hold.ts). */
export async function holdSeats(actor: Actor, eventId: string, req: HoldRequest): Promise<HoldResult> {
  const parsed = parseHoldRequest(req);
  return parsed.ok ? holdParsed(actor, eventId, parsed.request) : parsed;
}

/** holdSeats for a request already checked by parseHoldRequest. */
export async function holdParsed(actor: Actor, rawEventId: string, request: HoldRequest): Promise<HoldResult> {
  // One spelling before the id becomes a Redis key (lib/ids.ts).
  const eventId = canonicalUuid(rawEventId);
  if (!eventId) return notFound();
  const pick: Pick = "seatIds" in request ? { kind: "seats", ids: request.seatIds } : { kind: "ga", ...request };
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await attemptHold(actor, eventId, pick, attempt === ATTEMPTS);
      if (result !== RETRY) return result;
    } catch (err) {
      // Two requests of one customer (or a hold and a release) may lock in opposite orders.
      if (!isRetryable(err) || attempt === ATTEMPTS) throw err;
    }
    if (attempt === ATTEMPTS) return fail("conflict", "Your reservation changed while we were updating it. Please try again.");
  }
}

async function attemptHold(actor: Actor, eventId: string, pick: Pick, last: boolean): Promise<HoldResult | typeof RETRY> {
  const ctx = await loadHoldContext(eventId, actor.id, pick.kind === "ga" ? pick.sectionId : null);
  if (!ctx || !ctx.published) return notFound();
  const refusal = saleRefusal(ctx);
  if (refusal) return refusal;

  let open = ctx.open;
  if (open?.status === "PAYMENT") {
    return fail("reservation_locked", "Your reservation for this event is being paid for. Finish or cancel that payment first.", { reservationId: open.id });
  }
  if (open && !open.live) {
    await expireStaleReservation(open.id);
    open = null;
  }

  if (pick.kind === "ga") {
    if (!ctx.section) return fail("validation_failed", "That section does not belong to this event.", { fields: { sectionId: ["Unknown section"] } });
    if (ctx.section.kind !== "GA")
      return fail("validation_failed", "That section has assigned seats: pick seats by id.", { fields: { sectionId: ["Not a general-admission section"] } });
  } else if (open) {
    // Seats already in this reservation are not asked again (a double click stays harmless).
    const mine = new Set(open.seatIds);
    pick = { kind: "seats", ids: pick.ids.filter((id) => !mine.has(id)) };
    if (pick.ids.length === 0) return current(actor, open.id);
  }

  const count = pick.kind === "seats" ? pick.ids.length : pick.quantity;
  const already = open?.quantity ?? 0;
  if (already + count > ctx.maxPerOrder) return overLimit(ctx.maxPerOrder, already);

  const unguarded = await unguardedHoldIfOn({ actor, eventId, ctx, pick }); // control tests only
  if (unguarded) return unguarded;

  const reservationId = open?.id ?? crypto.randomUUID();
  let preLocked: number[] = [];
  if (pick.kind === "seats") {
    const holdMs = ctx.holdSeconds * 1000;
    const pre = await preLockHealing(eventId, reservationId, pick.ids, open ? open.remainingMs : holdMs, holdMs);
    if (pre === UNAVAILABLE) {
      // A timeout may still have run the script: on refusal, clear whatever carries our id.
      preLocked = pick.ids;
    } else {
      if (!pre.ok) return seatTaken(pre.takenIds);
      preLocked = pre.setIds;
    }
  }

  let claim: Awaited<ReturnType<typeof claimAdd>>;
  try {
    await holdRaceDelay(); // race tests only
    claim = open
      ? await claimAdd({ eventId, userId: actor.id, reservationId, maxPerOrder: ctx.maxPerOrder, maxPerCustomer: ctx.maxPerCustomer, pick })
      : await claimNew({
          eventId,
          userId: actor.id,
          reservationId,
          currency: ctx.currency,
          holdSeconds: ctx.holdSeconds,
          pick,
          maxPerCustomer: ctx.maxPerCustomer,
        });
  } catch (err) {
    await releasePreLocks(eventId, reservationId, preLocked);
    throw err;
  }

  if (claim.ok && claim.written) {
    if (open) return current(actor, reservationId);
    return { ok: true, reservation: newView(reservationId, eventId, ctx, claim) };
  }
  await releasePreLocks(eventId, reservationId, preLocked);
  if ("overCustomerLimit" in claim) return customerLimitRefusal(ctx.maxPerCustomer!, claim.places);
  if (!claim.ok && "customerPlaces" in claim && overCustomerLimit(ctx.maxPerCustomer, claim.customerPlaces, count)) {
    return customerLimitRefusal(ctx.maxPerCustomer!, claim.customerPlaces!);
  }
  if ("gone" in claim || "overLimit" in claim) {
    return "overLimit" in claim ? overLimit(ctx.maxPerOrder, claim.quantity) : RETRY;
  }
  if (claim.ok) return RETRY; // another request of this customer opened a reservation first
  return explainShortfall(pick, claim, last);
}

function explainShortfall(pick: Pick, claim: ClaimResult, last: boolean): HoldResult | typeof RETRY {
  if (pick.kind === "seats") {
    const found = new Set(claim.foundIds ?? []);
    const unknown = pick.ids.filter((id) => !found.has(id));
    if (unknown.length) {
      return fail("validation_failed", "Some seats do not belong to this event.", { fields: { seatIds: [`Unknown seats: ${unknown.join(", ")}`] } });
    }
    const free = new Set(claim.freeIds);
    return seatTaken(pick.ids.filter((id) => !free.has(id)));
  }
  // SKIP LOCKED passes over places other claims are locking right now; if enough are free
  // apart from those, try again rather than answer sold out.
  const available = claim.available ?? 0;
  if (available >= pick.quantity && !last) return RETRY;
  return fail("sold_out", available === 0 ? "This section is sold out." : `Only ${available} place${available === 1 ? "" : "s"} left in this section.`, {
    available,
  });
}

export function saleRefusal(ctx: { status: string; saleNotStarted: boolean; saleOpen: boolean }): Failure | null {
  if (ctx.status === "CANCELLED") return fail("sale_not_open", "This event was cancelled.");
  if (ctx.status === "COMPLETED") return fail("sale_not_open", "This event has ended.");
  // The sale window by the database clock decides, so a sale opens on time even before the
  // cron has advanced the event's status; SOLD_OUT still sells places whose holds expired.
  if (ctx.saleNotStarted) return fail("sale_not_open", "Sales for this event have not started yet.");
  if (!ctx.saleOpen) return fail("sale_not_open", "Sales for this event have ended.");
  return null;
}

function newView(id: string, eventId: string, ctx: HoldContext, claim: ClaimResult): ReservationView {
  return {
    id,
    eventId,
    status: "ACTIVE",
    expiresAt: claim.expiresAt!,
    paymentDeadline: null,
    quantity: claim.items.length,
    amountMinor: claim.amountMinor,
    currency: ctx.currency,
    items: claim.items,
  };
}

async function current(actor: Actor, reservationId: string): Promise<HoldResult | typeof RETRY> {
  const view = await getReservationById(reservationId, actor.id);
  return view ? { ok: true, reservation: view } : RETRY;
}

export function notFound() {
  return fail("not_found", "This event does not exist or is not on sale.");
}

export function seatTaken(ids: number[]) {
  const list = ids.join(", ");
  return fail("seat_taken", ids.length === 1 ? `Seat ${list} was just taken by someone else.` : `Seats ${list} were just taken by someone else.`, {
    takenSeatIds: ids,
  });
}

export function overLimit(limit: number, held: number) {
  return fail("limit_exceeded", `You can hold at most ${limit} places for this event${held ? ` (you already hold ${held})` : ""}.`, { limit, held });
}

function isRetryable(err: unknown) {
  const code = (err as { code?: string } | null)?.code;
  if (code === "40P01" || code === "40001") {
    log.warn("holds.retry", { code });
    return true;
  }
  return false;
}
