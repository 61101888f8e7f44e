import "server-only";
import { sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { writeAudit } from "@/lib/audit";
import { findManagedEvent } from "@/lib/auth/event-access";
import type { Actor } from "@/lib/auth/roles";
import { newBookingReference } from "@/lib/bookings/reference";
import { withFreshShortCodes } from "@/lib/checkout/book";
import { pricingCtes } from "@/lib/checkout/pricing";
import { fail, fieldErrors, type Failure } from "@/lib/errors";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { claimable } from "@/lib/inventory/places";
import { newLinkToken } from "@/lib/link-tokens";
import { wakeMailer } from "@/lib/mail/loop";
import { confirmationKey, enqueueMail } from "@/lib/mail/outbox";
import { lockEventPromoCode, promoCtes, promoRefusal, type PromoState } from "@/lib/promo-codes/apply";
import { placeLabel } from "@/lib/seatmap/labels";
import { bigintArray } from "@/lib/sql";
import { newTicketCode } from "@/lib/tickets";
import { newShortCode } from "@/lib/tickets/short-code";
import { takenOfType } from "@/lib/ticket-types/offers";
import { findOrMakeCustomer } from "./customer";
import { FREE_METHODS, staffOrderSchema, type StaffOrderInput, type StaffOrderRequest, type StaffOrderResult } from "./schemas";

// Box-office orders: organizer staff sell places to a customer at the desk, paid in cash, by
// card on the desk's own terminal (recorded only: no provider is called), or given away
// (complimentary, invitation: tickets priced 0). Same inventory rules as a web sale, in one
// transaction: the places are locked with the claim's fence — only claimable places (available,
// or held by a hold that has run out), assigned seats in id order, general admission SKIP
// LOCKED, all or none — so a staff order and a web hold racing for a seat serialise on its row
// lock and exactly one wins (docs/invariants.md, I1). Then the sale is written like a booking:
// a reservation (CONFIRMED at once), the places SOLD, the booking with its method and the staff
// member, tickets, the confirmation email in the outbox and an audit entry, all committed
// together. House seats (BLOCKED) are sold only when the staff member names them and says so
// (includeBlocked); general admission never takes blocked places (docs/box-office.md).

export type StaffOrderOutcome = ({ ok: true } & StaffOrderResult) | Failure;

type Place = { id: number; section_id: string; price_minor: number; blocked: boolean };
type Asked = { id: number; section: string; row: string | null; seat: string | null; blocked: boolean };

class Refused extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

export async function createStaffOrder(actor: Actor, eventId: string, input: StaffOrderRequest): Promise<StaffOrderOutcome> {
  const parsed = staffOrderSchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  const event = await findManagedEvent(actor, eventId);
  if (!event) return fail("not_found", "This event does not exist or is not yours.");
  if (event.status === "CANCELLED" || event.status === "COMPLETED") return fail("conflict", "This event is closed: nothing can be sold for it any more.");
  if (!event.publishedAt) return fail("conflict", "This event is a draft: publish it before selling places at the box office.");
  const req = parsed.data;
  if (req.promoCode && FREE_METHODS.includes(req.method)) {
    const message = "A complimentary or invitation order is free already: leave the discount code out.";
    return fail("validation_failed", message, { fields: { promoCode: [message] } });
  }
  try {
    const result = await withFreshShortCodes(() => db().transaction((tx) => sell(tx, actor, event, req)));
    wakeMailer();
    return { ok: true, ...result };
  } catch (err) {
    if (err instanceof Refused) return err.failure;
    throw err;
  }
}

async function sell(tx: Tx, actor: Actor, event: { id: string; title: string; currency: string }, req: StaffOrderInput): Promise<StaffOrderResult> {
  // A discount code's row first, as the checkout's start locks it (lock order: code → limited
  // types → event → places, lib/promo-codes/apply.ts): its uses are counted after this lock.
  const code = req.promoCode ?? "";
  const codeId = code ? await lockEventPromoCode(tx, event.id, code) : null;
  // The event's status again, under the lock the checkout's booking takes (KEY SHARE): a
  // cancellation (FOR UPDATE) either finished first and is seen here, or waits for this sale and
  // then refunds it with the rest. KEY SHARE, not SHARE: two sales updating the event's status
  // at the end must not deadlock on a lock both hold.
  const [live] = await tx.execute<{ status: string }>(sql`SELECT status FROM events WHERE id = ${event.id} FOR KEY SHARE`);
  if (live.status === "CANCELLED" || live.status === "COMPLETED")
    throw new Refused(fail("conflict", "This event is closed: nothing can be sold for it any more."));
  // Limited ticket types first, in the checkout start's lock order (types, then places): counted
  // after this lock, what is taken cannot move until the sale commits (docs/box-office.md).
  await tx.execute(sql`SELECT id FROM ticket_types WHERE event_id = ${event.id} AND limit_quantity IS NOT NULL ORDER BY id FOR UPDATE`);
  const places = await priceByType(tx, event.id, await lockPlaces(tx, event.id, req), req);
  const customer = await findOrMakeCustomer(tx, req.customer);
  const discounts = code ? await discountsOf(tx, places, code, codeId, customer.id) : new Map<number, number>();
  const discountMinor = [...discounts.values()].reduce((a, b) => a + b, 0);
  const free = FREE_METHODS.includes(req.method);
  const price = (p: Place) => (free ? 0 : p.price_minor - (discounts.get(Number(p.id)) ?? 0));
  const amountMinor = places.reduce((sum, p) => sum + price(p), 0);
  const ids = bigintArray(places.map((p) => p.id));

  // A reservation CONFIRMED at once: bookings, tickets and the integrity checks (docs/invariants.md)
  // read every sale through one, whichever channel it came from.
  const [res] = await tx.execute<{ id: string }>(sql`
    INSERT INTO reservations (event_id, user_id, status, quantity, amount_minor, currency, expires_at)
    VALUES (${event.id}, ${customer.id}, 'CONFIRMED', ${places.length}, ${amountMinor}, ${event.currency}, now())
    RETURNING id`);
  const sold = await tx.execute(sql`
    UPDATE inventory SET status = 'SOLD', reservation_id = ${res.id}, hold_expires_at = NULL,
      block_reason = NULL, blocked_by = NULL, blocked_at = NULL
    WHERE event_id = ${event.id} AND id = ANY(${ids}::bigint[]) RETURNING id`);
  if (sold.length !== places.length) throw new Error("staff order: locked places changed under their lock");

  const link = newLinkToken();
  const reference = newBookingReference();
  const [booking] = await tx.execute<{ id: string }>(sql`
    INSERT INTO bookings (reference, event_id, user_id, reservation_id, amount_minor, currency, access_key_hash, payment_method, sold_by)
    VALUES (${reference}, ${event.id}, ${customer.id}, ${res.id}, ${amountMinor}, ${event.currency}, ${link.hash}, ${req.method}, ${actor.id})
    RETURNING id`);
  for (const p of places) {
    await tx.execute(sql`
      INSERT INTO tickets (booking_id, event_id, section_id, inventory_id, code, short_code, price_minor, ticket_type_id)
      VALUES (${booking.id}, ${event.id}, ${p.section_id}, ${p.id}, ${newTicketCode()}, ${newShortCode()}, ${price(p)}, ${p.type_id})`);
  }
  // The code's use, as the checkout's booking records it (the promo_redeem trigger): one
  // redemption per booking, counted by every later checkout and desk order.
  if (codeId) {
    await tx.execute(sql`
      INSERT INTO promo_redemptions (code_id, event_id, user_id, booking_id, discount_minor)
      VALUES (${codeId}, ${event.id}, ${customer.id}, ${booking.id}, ${discountMinor})`);
  }
  await enqueueMail(tx, {
    kind: "booking_confirmed",
    recipient: customer.email,
    payload: { bookingId: booking.id },
    secret: { accessKey: link.token },
    dedupeKey: confirmationKey(booking.id),
  });
  const fromBlocked = places.filter((p) => p.blocked).length;
  await writeAudit(tx, {
    actorId: actor.id,
    action: "booking.staff_order",
    targetType: "booking",
    targetId: booking.id,
    details: {
      eventId: event.id,
      title: event.title,
      reference,
      method: req.method,
      places: places.length,
      amountMinor,
      fromBlocked,
      note: req.note ?? null,
      promoCode: codeId ? code.toUpperCase() : null,
      discountMinor,
    },
  });
  await refreshEventStatuses(tx, event.id);
  return {
    bookingId: booking.id,
    reference,
    customerId: customer.id,
    customerEmail: customer.email,
    newGuest: customer.created,
    method: req.method,
    amountMinor,
    currency: event.currency,
    places: places.length,
    fromBlocked,
    ticketTypeId: req.ticketTypeId ?? null,
    items: places.map((p) => ({ inventoryId: Number(p.id), ticketTypeId: p.type_id, priceMinor: price(p) })),
    promo: codeId ? { code: code.toUpperCase(), discountMinor } : null,
  };
}

/**
 * The discount of each place by the checkout's own rules (promoCtes in lib/promo-codes/apply.ts:
 * validity by the database clock, uses counted as redemptions plus open checkouts, in total and
 * for this customer, the code's sections and types), or a refusal naming the code's problem.
 */
async function discountsOf(tx: Tx, places: Priced[], code: string, codeId: string | null, customerId: string): Promise<Map<number, number>> {
  const list = JSON.stringify(places.map((p) => ({ id: Number(p.id), sectionId: p.section_id, typeId: p.type_id, price: p.price_minor })));
  const [row] = await tx.execute<{ state: PromoState; discounts: { id: number; discount: number }[] | null }>(sql`
    WITH priced AS (
      SELECT (x->>'id')::bigint AS id, (x->>'sectionId')::uuid AS section_id, (x->>'typeId')::uuid AS type_id, (x->>'price')::int AS price_minor
      FROM jsonb_array_elements(${list}::jsonb) x
    ),
    ${promoCtes(codeId, true, customerId)}
    SELECT (SELECT state FROM promo) AS state, (SELECT json_agg(json_build_object('id', disc.id, 'discount', disc.discount)) FROM disc) AS discounts`);
  const refusal =
    row.state === "used_by_you"
      ? fail("validation_failed", `This customer has already used the code ${code.toUpperCase()} as many times as it allows. Nothing was sold.`, {
          fields: { promoCode: ["Already used by this customer as many times as it allows"] },
        })
      : promoRefusal(row.state, code, false);
  if (refusal) {
    throw new Refused(row.state === "used_by_you" ? refusal : { ...refusal, message: `${refusal.message} Nothing was sold.` });
  }
  return new Map((row.discounts ?? []).map((d) => [Number(d.id), d.discount]));
}

type Priced = Place & { type_id: string | null };

/**
 * Each place's ticket type and price now, by the web checkout's own pricing (pricingCtes in
 * lib/checkout/pricing.ts, with the offers in force now): the type named for the seat
 * (`ticketTypes`), else the type asked for the order, else the section's first type, else the
 * section's own price; a type not offered in the place's section is refused. Then every limited
 * type involved must have room, counted as the checkout's start counts it (takenOfType) after the
 * caller locked the type's row.
 */
async function priceByType(tx: Tx, eventId: string, places: Place[], req: StaffOrderInput): Promise<Priced[]> {
  const perSeat = new Map(("ticketTypes" in req ? (req.ticketTypes ?? []) : []).map((c) => [c.inventoryId, c.ticketTypeId]));
  const strays = [...perSeat.keys()].filter((id) => !places.some((p) => Number(p.id) === id));
  if (strays.length) {
    throw new Refused(
      fail("validation_failed", "A ticket type was given for a seat that is not in this order.", {
        fields: { ticketTypes: [`Not among the seats sold: ${strays.join(", ")}`] },
      }),
    );
  }
  const choices = JSON.stringify(
    places.flatMap((p) => {
      const type = perSeat.get(Number(p.id)) ?? req.ticketTypeId;
      return type ? [{ inventoryId: Number(p.id), ticketTypeId: type }] : [];
    }),
  );
  const list = JSON.stringify(places.map((p) => ({ id: p.id, sectionId: p.section_id, price: p.price_minor })));
  type Row = { id: number; type_id: string | null; price_minor: number | null; asked: string | null; section: string; row: string | null; seat: string | null };
  const rows = await tx.execute<Row>(sql`
    WITH r AS (SELECT ${eventId}::uuid AS event_id, now() AS created_at),
    p AS (
      SELECT (x->>'id')::bigint AS id, (x->>'sectionId')::uuid AS section_id, (x->>'price')::int AS price_minor, true AS held
      FROM jsonb_array_elements(${list}::jsonb) x
    ),
    ${pricingCtes(choices)}
    SELECT priced.id::int AS id, priced.type_id, priced.price_minor, priced.asked, s.name AS section, i.row_label AS row, i.seat_number AS seat
    FROM priced JOIN event_sections s ON s.id = priced.section_id JOIN inventory i ON i.id = priced.id AND i.event_id = ${eventId}`);
  const unpriced = rows.filter((r) => r.type_id === null && r.asked !== null);
  if (unpriced.length) {
    const sections = [...new Set(unpriced.map((r) => r.section))].join(", ");
    const field = unpriced.some((r) => perSeat.has(Number(r.id))) ? "ticketTypes" : "ticketTypeId";
    throw new Refused(
      fail("validation_failed", `This ticket type is not offered in ${sections}. Nothing was sold.`, {
        fields: {
          [field]: [
            `Not offered in ${sections}${field === "ticketTypes" ? `: ${unpriced.map((r) => placeLabel({ sectionName: r.section, rowLabel: r.row, seatNumber: r.seat })).join("; ")}` : ""}`,
          ],
        },
      }),
    );
  }
  const wanted = new Map<string, number>();
  for (const r of rows) if (r.type_id) wanted.set(r.type_id, (wanted.get(r.type_id) ?? 0) + 1);
  if (wanted.size) {
    const ids = `{${[...wanted.keys()].join(",")}}`;
    const limits = await tx.execute<{ id: string; name: string; limit: number; taken: number }>(sql`
      SELECT t.id, t.name, t.limit_quantity AS "limit", ${takenOfType(sql`t.id`, sql`t.event_id`)} AS taken
      FROM ticket_types t WHERE t.id = ANY(${ids}::uuid[]) AND t.limit_quantity IS NOT NULL`);
    for (const l of limits) {
      const want = wanted.get(l.id)!;
      if (l.taken + want <= l.limit) continue;
      const left = Math.max(0, l.limit - l.taken);
      throw new Refused(
        fail("sold_out", `Only ${left} ${l.name} ticket${left === 1 ? " is" : "s are"} left for this event. Nothing was sold.`, {
          available: left,
          fields: { ticketTypeId: [`At most ${left} ${l.name}`] },
        }),
      );
    }
  }
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return places.map((p) => {
    const r = byId.get(Number(p.id))!;
    return { ...p, price_minor: r.price_minor!, type_id: r.type_id };
  });
}

/** Locks the places to sell with the claim's fence, or refuses (rolling back) naming what is taken. */
async function lockPlaces(tx: Tx, eventId: string, req: StaffOrderInput): Promise<Place[]> {
  if ("seatIds" in req) {
    const ids = bigintArray(req.seatIds);
    const takeable = req.includeBlocked ? sql`(${claimable()} OR i.status = 'BLOCKED')` : claimable();
    const rows = await tx.execute<Place>(sql`
      SELECT i.id::int AS id, i.section_id, s.price_minor, i.status = 'BLOCKED' AS blocked
      FROM inventory i JOIN event_sections s ON s.id = i.section_id AND s.kind = 'ASSIGNED'
      WHERE i.event_id = ${eventId} AND i.id = ANY(${ids}::bigint[]) AND ${takeable}
      ORDER BY i.id FOR UPDATE OF i`);
    if (rows.length === req.seatIds.length) return [...rows];
    const got = new Set(rows.map((r) => Number(r.id)));
    const asked = await tx.execute<Asked>(sql`
      SELECT i.id::int AS id, s.name AS section, i.row_label AS row, i.seat_number AS seat, i.status = 'BLOCKED' AS blocked
      FROM inventory i JOIN event_sections s ON s.id = i.section_id AND s.kind = 'ASSIGNED'
      WHERE i.event_id = ${eventId} AND i.id = ANY(${ids}::bigint[])`);
    const known = new Map(asked.map((a) => [Number(a.id), a]));
    const unknown = req.seatIds.filter((id) => !known.has(id));
    if (unknown.length) {
      throw new Refused(
        fail("validation_failed", "Some of those seats are not seats of this event.", {
          fields: { seatIds: [`Not seats of this event: ${unknown.join(", ")}`] },
        }),
      );
    }
    const taken = req.seatIds.filter((id) => !got.has(id));
    const labels = taken.map((id) => {
      const a = known.get(id)!;
      return placeLabel({ sectionName: a.section, rowLabel: a.row, seatNumber: a.seat });
    });
    // Only worth saying when a house seat is among them and was not included on purpose.
    const hint = !req.includeBlocked && taken.some((id) => known.get(id)!.blocked) ? " House seats are sold only when you include them on purpose." : "";
    throw new Refused(
      fail("seat_taken", `Not sold: ${labels.join("; ")} ${taken.length === 1 ? "is" : "are"} held, sold or kept off sale.${hint} Nothing was sold.`, {
        takenSeatIds: taken,
        fields: { seatIds: [`Not free: ${labels.join("; ")}`] },
      }),
    );
  }
  const rows = await tx.execute<Place>(sql`
    SELECT i.id::int AS id, i.section_id, s.price_minor, false AS blocked
    FROM inventory i JOIN event_sections s ON s.id = i.section_id AND s.kind = 'GA'
    WHERE i.event_id = ${eventId} AND i.section_id = ${req.sectionId} AND i.status IN ('AVAILABLE', 'HELD') AND ${claimable()}
    ORDER BY i.status LIMIT ${req.quantity}::int FOR UPDATE OF i SKIP LOCKED`);
  if (rows.length === req.quantity) return [...rows];
  const [section] = await tx.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM event_sections WHERE id = ${req.sectionId} AND event_id = ${eventId} AND kind = 'GA'`,
  );
  if (section.n === 0)
    throw new Refused(
      fail("validation_failed", "Pick a general-admission section of this event.", {
        fields: { sectionId: ["Not a general-admission section of this event"] },
      }),
    );
  const available = rows.length;
  throw new Refused(
    fail("sold_out", `Only ${available} place${available === 1 ? " is" : "s are"} free in this section right now. Nothing was sold.`, {
      available,
      fields: { quantity: [`At most ${available}`] },
    }),
  );
}
