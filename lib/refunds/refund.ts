import "server-only";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { bookings, events } from "@/db/schema";
import { mayManageEvent } from "@/lib/auth/event-access";
import type { Actor } from "@/lib/auth/roles";
import { normalizeReference } from "@/lib/bookings/reference";
import { fail, fieldErrors, type Failure } from "@/lib/errors";
import { log } from "@/lib/log";
import { faultPoint } from "@/lib/test-switches";
import { wakeMailer } from "@/lib/mail/loop";
import { offerWaitingLists } from "@/lib/waitlist/offer";
import { cancellationFee, policyOf } from "./policy";
import { lockBooking, recordRefund, type RecordedRefund, type RefundRequest } from "./record";
import { refundRequestSchema, type CancellationQuote, type RefundView } from "./schemas";
import { trySettleRefund } from "./settle";

// The two ways a booking's money goes back before the event (docs/refunds.md):
//  - refundTickets: the event's organizer (current role, their own events) or an admin refunds
//    the whole booking or some of its tickets, with a reason the customer reads;
//  - cancelOwnBooking: the customer cancels their whole booking while the event's cancellation
//    policy allows it, and gets the tickets' price back minus the policy's fee.
// Both record the refund in one transaction under the booking's row lock (./record.ts), then
// ask the provider; a refund the provider cannot make now stays PENDING and the sweep finishes it.
// Someone who may not see the booking gets not_found, exactly as for a missing one.

type Found = { id: string; reference: string; userId: string; eventId: string; staff: boolean };

async function findBooking(actor: Actor, reference: string): Promise<Found | null> {
  const ref = normalizeReference(reference);
  if (!ref) return null;
  const [row] = await db()
    .select({ id: bookings.id, reference: bookings.reference, userId: bookings.userId, eventId: bookings.eventId, organizerId: events.organizerId })
    .from(bookings)
    .innerJoin(events, eq(events.id, bookings.eventId))
    .where(eq(bookings.reference, ref))
    .limit(1);
  if (!row) return null;
  const staff = mayManageEvent(actor, row);
  if (!staff && row.userId !== actor.id) return null;
  return { ...row, staff };
}

const notFound = () => fail("not_found", "No such booking.");

export async function refundTickets(actor: Actor, reference: string, input: unknown): Promise<{ ok: true; refund: RefundView } | Failure> {
  const found = await findBooking(actor, reference);
  if (!found) return notFound();
  if (!found.staff) return fail("forbidden", "Only the event's organizer or an admin can refund tickets. To cancel your own booking, use “Cancel booking”.");
  const parsed = refundRequestSchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  return run(found, { actorId: actor.id, kind: "ORGANIZER", reason: parsed.data.reason, ticketIds: parsed.data.ticketIds });
}

export async function cancelOwnBooking(actor: Actor, reference: string): Promise<{ ok: true; refund: RefundView } | Failure> {
  const found = await findBooking(actor, reference);
  if (!found) return notFound();
  if (found.userId !== actor.id) return fail("forbidden", "Only the customer who made a booking can cancel it; organizers refund tickets instead.");
  return run(found, { actorId: actor.id, kind: "CUSTOMER", reason: "Cancelled by the customer" }, true);
}

/** What cancelling would give back now (the booking's own customer), or null when it is not theirs. */
export async function quoteCancellation(actor: Actor, reference: string): Promise<CancellationQuote | null> {
  const found = await findBooking(actor, reference);
  if (!found || found.userId !== actor.id) return null;
  const { allowed, reason, until, ticketsMinor, feeMinor, refundMinor, currency } = await judge(db(), found.id);
  return { allowed, ...(reason ? { reason } : {}), until, ticketsMinor, feeMinor, refundMinor, currency };
}

async function run(found: Found, req: RefundRequest, byCustomer = false): Promise<{ ok: true; refund: RefundView } | Failure> {
  const recorded = await db().transaction(async (tx): Promise<RecordedRefund | Failure> => {
    const b = await lockBooking(tx, found.id);
    if (!b) return notFound();
    let done: RecordedRefund | Failure;
    if (byCustomer) {
      const quote = await judge(tx, b.id);
      if (!quote.allowed) return fail("cancellation_closed", quote.reason ?? "This booking can no longer be cancelled.");
      done = await recordRefund(tx, b, { ...req, fee: (ticketsMinor) => cancellationFee(quote, ticketsMinor) });
    } else done = await recordRefund(tx, b, req);
    if (done.ok) await faultPoint("crash-before-refund-commit", { reservationId: b.reservationId }); // a death here rolls everything back
    return done;
  });
  if (!recorded.ok) return recorded;
  const settled = await trySettleRefund(recorded.paymentId);
  wakeMailer();
  // The places are back on sale: offer them to the event's waiting list at once (the cron tick would too).
  await offerWaitingLists({ eventId: found.eventId }).catch((err) => log.warn("refund.waitlist_offer_failed", { error: String(err) }));
  const r = recorded.refund;
  return {
    ok: true,
    refund: {
      id: r.id,
      reference: found.reference,
      kind: r.kind,
      reason: r.reason,
      tickets: recorded.tickets,
      ticketsMinor: r.ticketsMinor,
      feeMinor: r.feeMinor,
      amountMinor: r.amountMinor,
      currency: r.currency.trim(),
      status: recorded.paymentId === null ? "NONE" : settled ? "REFUNDED" : "PENDING",
      bookingStatus: recorded.bookingCancelled ? "CANCELLED" : "CONFIRMED",
      createdAt: r.createdAt.toISOString(),
    },
  };
}

type Q = Pick<ReturnType<typeof db>, "execute">;

/** The policy applied to the booking now (database clock): may its customer cancel, and for what. */
async function judge(q: Q, bookingId: string): Promise<CancellationQuote & { feeMinor: number; feePercent: number }> {
  const [row] = await q.execute<{
    status: string;
    event_status: string;
    hours: number | null;
    fee_minor: number;
    fee_percent: number;
    currency: string;
    until: string | null;
    open: boolean;
    live_minor: number;
  }>(sql`
    SELECT b.status, e.status AS event_status, e.customer_cancel_hours AS hours, e.customer_cancel_fee_minor AS fee_minor,
           e.customer_cancel_fee_percent AS fee_percent, trim(e.currency) AS currency,
           to_char((e.starts_at - make_interval(hours => e.customer_cancel_hours)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS until,
           coalesce(now() < e.starts_at - make_interval(hours => e.customer_cancel_hours), false) AS open,
           (SELECT coalesce(sum(t.price_minor), 0)::int FROM tickets t WHERE t.booking_id = b.id AND t.status = 'VALID') AS live_minor
    FROM bookings b JOIN events e ON e.id = b.event_id
    WHERE b.id = ${bookingId}`);
  const policy = policyOf({
    customerCancelHours: row.hours,
    customerCancelFeeMinor: row.fee_minor,
    customerCancelFeePercent: row.fee_percent,
    currency: row.currency,
  });
  const feeMinor = cancellationFee(policy, row.live_minor);
  const base = {
    until: row.until,
    ticketsMinor: row.live_minor,
    feeMinor,
    refundMinor: row.live_minor - feeMinor,
    currency: row.currency,
    feePercent: policy.feePercent,
  };
  const no = (reason: string) => ({ ...base, allowed: false, reason });
  if (row.status !== "CONFIRMED") return no("This booking was already cancelled.");
  if (row.event_status === "CANCELLED" || row.event_status === "COMPLETED") return no("This event can no longer be cancelled here.");
  if (!policy.allowed) return no("This event does not allow customers to cancel their bookings. Please contact the organizer.");
  if (!row.open) return no("The time to cancel this booking has passed.");
  if (row.live_minor === 0 && !(await hasLiveTicket(q, bookingId))) return no("Every ticket of this booking was already refunded or used.");
  return { ...base, allowed: true };
}

async function hasLiveTicket(q: Q, bookingId: string): Promise<boolean> {
  const [r] = await q.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM tickets WHERE booking_id = ${bookingId} AND status = 'VALID'`);
  return r.n > 0;
}
