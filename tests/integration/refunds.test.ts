import { describe, expect, it } from "vitest";
import { addHours } from "date-fns";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { events, users } from "@/db/schema";
import { toActor } from "@/lib/auth/users";
import { getBookingByReference } from "@/lib/bookings";
import { cancelEvent } from "@/lib/events/cancel";
import { setCancellationPolicy } from "@/lib/refunds/policy";
import { cancelOwnBooking, quoteCancellation, refundTickets } from "@/lib/refunds/refund";
import { getStaffBooking, searchEventBookings } from "@/lib/refunds/staff";
import { getEventDetail } from "@/lib/events/queries";
import { createStaffOrder } from "@/lib/box-office/order";
import { renderMail } from "@/lib/mail/templates";
import { eventStatus, placeStates } from "@/tests/helpers/db-state";
import { createTestEvent, createUser, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { buy } from "@/tests/helpers/purchase";

// Refunds per booking (docs/refunds.md): the organizer refunds some or all tickets, the customer
// cancels under the event's policy. Every test ends with the integrity checks, which hold the
// money to the cent (money_balanced, provider_books_balanced, refunds_consistent).

async function booked(opts: { tickets?: number; price?: number; sections?: NonNullable<Parameters<typeof createTestEvent>[0]>["sections"] } = {}) {
  const n = opts.tickets ?? 3;
  const { event, organizer, places, sections } = await createTestEvent({ sections: opts.sections ?? [seats(1, n, opts.price ?? 2000)] });
  const customerUser = await createUser();
  const customer = toActor(customerUser);
  const req = sections[0].kind === "GA" ? { sectionId: sections[0].id, quantity: n } : { seatIds: places.slice(0, n).map((p) => p.id) };
  const booking = await buy(customer, event.id, req);
  return { event, organizer: toActor(organizer), places, customer, customerUser, booking };
}

async function counts(bookingId: string) {
  const [r] = await db().execute<{ refunds: number; payments: number; mails: number; audits: number }>(sql`
    SELECT (SELECT count(*)::int FROM refunds WHERE booking_id = ${bookingId}) AS refunds,
           (SELECT count(*)::int FROM payments p JOIN refunds r ON r.id = p.refund_id WHERE r.booking_id = ${bookingId}) AS payments,
           (SELECT count(*)::int FROM email_outbox WHERE kind = 'booking_refunded' AND payload->>'bookingId' = ${bookingId}) AS mails,
           (SELECT count(*)::int FROM audit_log WHERE action IN ('booking.refund', 'booking.cancel') AND target_id = ${bookingId}) AS audits`);
  return r;
}

describe("organizer refunds", () => {
  it("refunds some tickets: they turn VOID, their places go back on sale, the customer sees it and is emailed", async () => {
    const { event, organizer, places, customer, booking } = await booked();
    expect(await eventStatus(event.id)).toBe("SOLD_OUT");
    const [t1, t2] = booking.tickets;
    const r = await refundTickets(organizer, booking.reference, { ticketIds: [t1.id, t2.id], reason: "Seats with a blocked view" });
    expect(r).toMatchObject({
      ok: true,
      refund: { kind: "ORGANIZER", ticketsMinor: 4000, feeMinor: 0, amountMinor: 4000, status: "REFUNDED", bookingStatus: "CONFIRMED" },
    });
    expect((await placeStates([places[0].id, places[1].id, places[2].id])).map((p) => p.status)).toEqual(["AVAILABLE", "AVAILABLE", "SOLD"]);
    expect(await eventStatus(event.id)).toBe("ON_SALE");
    expect(await ledger(event.id)).toMatchObject({ charged: 6000, refunded: 4000, charges: 1, refunds: 1 });
    expect(await counts(booking.id)).toEqual({ refunds: 1, payments: 1, mails: 1, audits: 1 });

    const view = (await getBookingByReference(customer, booking.reference))!;
    expect(view.status).toBe("CONFIRMED");
    expect(view.tickets.map((t) => t.status)).toEqual(["VOID", "VOID", "VALID"]);
    expect(view.refunds).toEqual([
      expect.objectContaining({
        kind: "ORGANIZER",
        reason: "Seats with a blocked view",
        ticketIds: [t1.id, t2.id].sort(),
        amountMinor: 4000,
        status: "REFUNDED",
      }),
    ]);
    const [mail] = await db().execute<{ recipient: string; payload: Record<string, unknown> }>(sql`
      SELECT recipient, payload FROM email_outbox WHERE kind = 'booking_refunded' AND payload->>'bookingId' = ${booking.id}`);
    expect(mail.recipient).toBe(customer.email);
    expect(mail.payload).toMatchObject({ amountMinor: 4000, reason: "Seats with a blocked view", bookingCancelled: false, byCard: true });

    // The rest: the booking is cancelled, and the money is all back.
    const rest = await refundTickets(organizer, booking.reference, { reason: "Show moved" });
    expect(rest).toMatchObject({ ok: true, refund: { amountMinor: 2000, bookingStatus: "CANCELLED" } });
    expect(await ledger(event.id)).toMatchObject({ charged: 6000, refunded: 6000, refunds: 2 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("a ticket is refunded once: ten refunds of it at once make one refund and one money movement", async () => {
    const { event, organizer, booking } = await booked({ tickets: 2 });
    const ticket = booking.tickets[0].id;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => refundTickets(organizer, booking.reference, { ticketIds: [ticket], reason: "Double booked" })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(Array(9).fill("conflict"));
    expect(await counts(booking.id)).toEqual({ refunds: 1, payments: 1, mails: 1, audits: 1 });
    expect(await ledger(event.id)).toMatchObject({ refunded: 2000, refunds: 1 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("only the event's organizer (with the role now) or an admin refunds; others cannot, or cannot see the booking", async () => {
    const { event, organizer, booking, customer } = await booked({ tickets: 2 });
    const [otherOrganizer, admin, otherCustomer] = await Promise.all([createUser("ORGANIZER"), createUser("ADMIN"), createUser()]);
    const body = { ticketIds: [booking.tickets[0].id], reason: "Testing who may" };
    expect(await refundTickets(toActor(otherOrganizer), booking.reference, body)).toMatchObject({ ok: false, code: "not_found" });
    expect(await refundTickets(toActor(otherCustomer), booking.reference, body)).toMatchObject({ ok: false, code: "not_found" });
    expect(await refundTickets(customer, booking.reference, body)).toMatchObject({ ok: false, code: "forbidden" });
    // The organizer demoted to customer: the role now decides, not the one at sign-in.
    await db().update(users).set({ role: "CUSTOMER" }).where(eq(users.id, organizer.id));
    expect(await refundTickets({ ...organizer, role: "CUSTOMER" }, booking.reference, body)).toMatchObject({ ok: false, code: "not_found" });
    expect(await refundTickets(toActor(admin), booking.reference, body)).toMatchObject({ ok: true });
    expect(await counts(booking.id)).toMatchObject({ refunds: 1 });
    await expectIntegrity(event.id);
  });

  it("refuses tickets of another booking, a reason left out, and tickets already checked in", async () => {
    const { event, organizer, booking } = await booked({ tickets: 2 });
    const other = await booked({ tickets: 1 });
    expect(await refundTickets(organizer, booking.reference, { ticketIds: [other.booking.tickets[0].id], reason: "Wrong booking" })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fields: { ticketIds: [expect.stringContaining("Not in this booking")] },
    });
    expect(await refundTickets(organizer, booking.reference, { ticketIds: [booking.tickets[0].id] })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fields: { reason: expect.any(Array) },
    });
    await db().execute(sql`UPDATE tickets SET status = 'USED', checked_in_at = now() WHERE id = ${booking.tickets[1].id}`);
    const used = await refundTickets(organizer, booking.reference, { ticketIds: [booking.tickets[1].id], reason: "Too late" });
    expect(used).toMatchObject({ ok: false, code: "conflict", message: expect.stringContaining("Checked in at the door") });
    expect(await counts(booking.id)).toMatchObject({ refunds: 0 });
    await expectIntegrity(event.id);
  });

  it("free tickets: refunded without money moving", async () => {
    const { event, organizer, booking } = await booked({ tickets: 2, sections: [ga(5, 0)] });
    const r = await refundTickets(organizer, booking.reference, { reason: "Guest list changed" });
    expect(r).toMatchObject({ ok: true, refund: { amountMinor: 0, status: "NONE", bookingStatus: "CANCELLED" } });
    expect(await counts(booking.id)).toEqual({ refunds: 1, payments: 0, mails: 1, audits: 1 });
    await expectIntegrity(event.id);
  });

  it("a box-office booking paid in cash: no card refund is promised; the email and booking say the organizer returns the money", async () => {
    const { event, organizer, places } = await createTestEvent({ sections: [seats(1, 2, 2500)] });
    const buyer = await createUser();
    const staff = toActor(organizer);
    const sold = await createStaffOrder(staff, event.id, { customer: { email: buyer.email }, method: "CASH", seatIds: [places[0].id, places[1].id] });
    if (!sold.ok) throw new Error(sold.message);
    const [{ reference }] = await db().execute<{ reference: string }>(sql`SELECT reference FROM bookings WHERE id = ${sold.bookingId}`);
    const r = await refundTickets(staff, reference, { reason: "Double booked at the desk" });
    expect(r).toMatchObject({ ok: true, refund: { amountMinor: 5000, status: "NONE", bookingStatus: "CANCELLED" } });
    const [mail] = await db().execute<{ payload: Record<string, unknown> }>(sql`
      SELECT payload FROM email_outbox WHERE kind = 'booking_refunded' AND payload->>'bookingId' = ${sold.bookingId}`);
    expect(mail.payload).toMatchObject({ byCard: false, amountMinor: 5000 });
    const text = (await renderMail("booking_refunded", mail.payload, {})).text;
    expect(text).toContain(
      "You paid for these tickets at the box office, not by card on this site, so nothing goes back to a card: the organizer returns the €50.00 to you.",
    );
    expect(text).not.toContain("to the card you paid with");
    await expectIntegrity(event.id);
  });

  it("cancelling the event afterwards refunds only what is still paid for", async () => {
    const { event, organizer, booking } = await booked({ tickets: 3 });
    await refundTickets(organizer, booking.reference, { ticketIds: [booking.tickets[0].id], reason: "Broken seat" });
    const c = await cancelEvent(organizer, event.id);
    expect(c).toMatchObject({ ok: true, bookingsCancelled: 1, refundsPending: 0 });
    expect(await ledger(event.id)).toMatchObject({ charged: 6000, refunded: 6000, refunds: 2 });
    const [r] = await db().execute<{ kinds: string[] }>(
      sql`SELECT array_agg(kind::text ORDER BY created_at) AS kinds FROM refunds WHERE booking_id = ${booking.id}`,
    );
    expect(r.kinds).toEqual(["ORGANIZER", "EVENT_CANCELLED"]);
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });
});

describe("the organizer's booking search and view", () => {
  it("finds a booking by reference (as typed or printed), email or name; shows paid, ticket states and refunds; only to its event's staff", async () => {
    const { event, organizer, customer, customerUser, booking } = await booked();
    await db().update(users).set({ name: "Ada Lovelace-Search" }).where(eq(users.id, customerUser.id));
    const refs = async (q: string) => (await searchEventBookings(organizer, event.id, q))!.hits.map((h) => h.reference);
    const printed = `${booking.reference.slice(0, 4)}-${booking.reference.slice(4)}`.toLowerCase();
    expect(await refs(printed)).toEqual([booking.reference]);
    expect(await refs(customer.email.toUpperCase())).toEqual([booking.reference]);
    expect(await refs("lovelace-sear")).toEqual([booking.reference]);
    expect(await refs("nobody-like-this")).toEqual([]);
    expect(await refs("%")).toEqual([]); // LIKE wildcards are text, not patterns
    expect(await refs("")).toEqual([booking.reference]); // the latest bookings
    const [hit] = (await searchEventBookings(organizer, event.id, ""))!.hits;
    expect(hit).toMatchObject({ customerEmail: customer.email, tickets: 3, liveTickets: 3, amountMinor: 6000, currency: "EUR", status: "CONFIRMED" });

    await refundTickets(organizer, booking.reference, { ticketIds: [booking.tickets[0].id], reason: "Broken seat" });
    const view = (await getStaffBooking(organizer, event.id, printed))!;
    expect(view).toMatchObject({ reference: booking.reference, customerEmail: customer.email, paid: true });
    expect(view.tickets.map((t) => t.status)).toEqual(["VOID", "VALID", "VALID"]);
    expect(view.refunds).toEqual([expect.objectContaining({ kind: "ORGANIZER", reason: "Broken seat", amountMinor: 2000, status: "REFUNDED" })]);
    expect((await searchEventBookings(organizer, event.id, ""))!.hits[0]).toMatchObject({ liveTickets: 2 });

    // Anyone but the event's organizer or an admin reads nothing, as for a missing event.
    const other = toActor(await createUser("ORGANIZER"));
    const admin = toActor(await createUser("ADMIN"));
    expect(await searchEventBookings(other, event.id, "")).toBeNull();
    expect(await getStaffBooking(other, event.id, booking.reference)).toBeNull();
    expect(await getStaffBooking(admin, event.id, booking.reference)).toMatchObject({ reference: booking.reference });
    await expect(searchEventBookings(customer, event.id, "")).rejects.toMatchObject({ code: "forbidden" });
    // A booking of another event is not found under this one.
    const elsewhere = await booked();
    expect(await getStaffBooking(admin, event.id, elsewhere.booking.reference)).toBeNull();
    await expectIntegrity(event.id);
  });
});

describe("customer cancellation policy", () => {
  it("is off by default: the customer is told to contact the organizer", async () => {
    const { customer, booking } = await booked({ tickets: 1 });
    expect(await quoteCancellation(customer, booking.reference)).toMatchObject({ allowed: false, reason: expect.stringContaining("contact the organizer") });
    expect(await cancelOwnBooking(customer, booking.reference)).toMatchObject({ ok: false, code: "cancellation_closed" });
  });

  it("until N hours before the start, for a percentage fee: the customer gets the rest back", async () => {
    const { event, organizer, customer, booking } = await booked({ tickets: 3, price: 1999 });
    expect(await setCancellationPolicy(organizer, event.id, { allowed: true, hoursBefore: 48, feePercent: 10 })).toMatchObject({ ok: true });
    expect(await quoteCancellation(customer, booking.reference)).toMatchObject({ allowed: true, ticketsMinor: 5997, feeMinor: 599, refundMinor: 5398 });
    const r = await cancelOwnBooking(customer, booking.reference);
    expect(r).toMatchObject({
      ok: true,
      refund: { kind: "CUSTOMER", ticketsMinor: 5997, feeMinor: 599, amountMinor: 5398, status: "REFUNDED", bookingStatus: "CANCELLED" },
    });
    expect(await ledger(event.id)).toMatchObject({ charged: 5997, refunded: 5398 });
    expect(await cancelOwnBooking(customer, booking.reference)).toMatchObject({ ok: false, code: "cancellation_closed" });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("a fixed fee never exceeds the price; after the deadline it is closed; only the customer may cancel", async () => {
    const { event, organizer, customer, booking } = await booked({ tickets: 1, price: 500 });
    await setCancellationPolicy(organizer, event.id, { allowed: true, hoursBefore: 0, feeMinor: 800 });
    expect(await cancelOwnBooking(organizer, booking.reference)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await quoteCancellation(customer, booking.reference)).toMatchObject({ allowed: true, feeMinor: 500, refundMinor: 0 });
    // The event now starts within the window: too late (judged by the database clock).
    await setCancellationPolicy(organizer, event.id, { allowed: true, hoursBefore: 24 * 30, feeMinor: 800 });
    expect(await cancelOwnBooking(customer, booking.reference)).toMatchObject({
      ok: false,
      code: "cancellation_closed",
      message: expect.stringContaining("passed"),
    });
    await setCancellationPolicy(organizer, event.id, { allowed: true, hoursBefore: 1, feeMinor: 800 });
    const r = await cancelOwnBooking(customer, booking.reference);
    expect(r).toMatchObject({ ok: true, refund: { feeMinor: 500, amountMinor: 0, status: "NONE" } });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("policy changes are the organizer's (or an admin's), validated and audited", async () => {
    const { event, organizer } = await booked({ tickets: 1 });
    const [other, customer] = await Promise.all([createUser("ORGANIZER"), createUser()]);
    expect(await setCancellationPolicy(toActor(other), event.id, { allowed: false })).toMatchObject({ ok: false, code: "not_found" });
    expect(await setCancellationPolicy(toActor(customer), event.id, { allowed: false })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await setCancellationPolicy(organizer, event.id, { allowed: true })).toMatchObject({ ok: false, fields: { hoursBefore: expect.any(Array) } });
    expect(await setCancellationPolicy(organizer, event.id, { allowed: true, hoursBefore: 2, feeMinor: 100, feePercent: 5 })).toMatchObject({
      ok: false,
      fields: { feePercent: expect.any(Array) },
    });
    expect(await setCancellationPolicy(organizer, event.id, { allowed: true, hoursBefore: 2, feeMinor: 100 })).toMatchObject({
      ok: true,
      policy: { allowed: true, hoursBefore: 2, feeMinor: 100, feePercent: 0 },
    });
    const [e] = await db().select({ h: events.customerCancelHours }).from(events).where(eq(events.id, event.id));
    expect(e.h).toBe(2);
    const [a] = await db().execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'event.cancellation_policy' AND target_id = ${event.id}`,
    );
    expect(a.n).toBe(1);
  });

  it("is part of the event's detail, which the event page, the checkout and the REST API show before buying", async () => {
    const { event, organizer } = await booked({ tickets: 1 });
    expect((await getEventDetail(event.id))!.cancellationPolicy).toEqual({ allowed: false, hoursBefore: null, feeMinor: 0, feePercent: 0, currency: "EUR" });
    expect(await setCancellationPolicy(organizer, event.id, { allowed: true, hoursBefore: 24, feePercent: 10 })).toMatchObject({ ok: true });
    expect((await getEventDetail(event.id))!.cancellationPolicy).toEqual({ allowed: true, hoursBefore: 24, feeMinor: 0, feePercent: 10, currency: "EUR" });
  });

  it("judges the deadline by the event's start", async () => {
    const { event, organizer, customer, booking } = await booked({ tickets: 1 });
    await setCancellationPolicy(organizer, event.id, { allowed: true, hoursBefore: 5 });
    const quote = await quoteCancellation(customer, booking.reference);
    expect(new Date(quote!.until!).getTime()).toBe(addHours(event.startsAt, -5).getTime() - (event.startsAt.getTime() % 1000));
  });
});
