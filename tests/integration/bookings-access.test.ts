import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { formatReference, getBookingByReference, listMyBookings } from "@/lib/bookings";
import { confirmCheckout } from "@/lib/checkout";
import { getReservation } from "@/lib/holds";
import { newTicketCode, qrSvg, ticketQrPayload, verifyTicketPayload } from "@/lib/tickets";
import { checkoutsOf, reservationStatus } from "@/tests/helpers/db-state";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { ledger } from "@/tests/helpers/integrity";
import { newKey, pay } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";

async function bookedEvent() {
  const { event, organizer, places } = await createTestEvent({ sections: [seats(1, 6, 900)] });
  const owner = toActor(await createUser());
  const res = await hold(owner, event.id, { seatIds: [places[0].id, places[1].id] });
  const r = await confirmCheckout(owner, { reservationId: res.id, payment: pay() }, newKey());
  if (!r.ok) throw new Error(r.message);
  return { event, organizer: toActor(organizer), owner, places, booking: r.booking };
}

describe("bookings: who may see what (IDOR)", () => {
  it("a booking by reference: its customer, its event's organizer and admins; nobody else", async () => {
    const { organizer, owner, booking } = await bookedEvent();
    const stranger = toActor(await createUser());
    const otherOrganizer = toActor(await createUser("ORGANIZER"));
    const admin = toActor(await createUser("ADMIN"));
    expect((await getBookingByReference(owner, booking.reference))?.id).toBe(booking.id);
    expect((await getBookingByReference(organizer, booking.reference))?.id).toBe(booking.id);
    expect((await getBookingByReference(admin, booking.reference))?.id).toBe(booking.id);
    expect(await getBookingByReference(stranger, booking.reference)).toBeNull();
    expect(await getBookingByReference(otherOrganizer, booking.reference)).toBeNull();
    // Forgiving input for the owner, nothing for garbage.
    expect((await getBookingByReference(owner, formatReference(booking.reference).toLowerCase()))?.id).toBe(booking.id);
    expect(await getBookingByReference(owner, "'; DROP TABLE bookings; --")).toBeNull();
  });

  it("my bookings lists only mine, split into upcoming and past by the database clock", async () => {
    const { event, owner, booking } = await bookedEvent();
    const second = await bookedEvent();
    expect((await listMyBookings(owner)).map((b) => b.id)).toEqual([booking.id]);
    expect((await listMyBookings(owner, { when: "upcoming" })).map((b) => b.id)).toEqual([booking.id]);
    expect(await listMyBookings(owner, { when: "past" })).toEqual([]);
    await db().execute(sql`UPDATE events SET starts_at = now() - interval '2 days', ends_at = now() - interval '1 day' WHERE id = ${event.id}`);
    expect((await listMyBookings(owner, { when: "past" })).map((b) => b.id)).toEqual([booking.id]);
    expect(await listMyBookings(owner, { when: "upcoming" })).toEqual([]);
    expect((await listMyBookings(second.owner)).map((b) => b.id)).toEqual([second.booking.id]);
  });

  it("someone else's reservation can be neither read nor paid for", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 900)] });
    const owner = toActor(await createUser());
    const thief = toActor(await createUser());
    const res = await hold(owner, event.id, { seatIds: [places[0].id] });
    expect(await getReservation(thief, res.id)).toBeNull();
    const r = await confirmCheckout(thief, { reservationId: res.id, payment: pay() }, newKey());
    expect(r).toMatchObject({ ok: false, code: "not_found" });
    expect(await reservationStatus(res.id)).toBe("ACTIVE");
    expect(await checkoutsOf(res.id)).toHaveLength(0);
    expect((await ledger(event.id)).charges).toBe(0);
  });
});

describe("tickets and references", () => {
  it("QR payloads are signed: any change to id, code or signature is rejected", async () => {
    const { booking } = await bookedEvent();
    const t = booking.tickets[0];
    const [row] = await db().execute<{ code: string }>(sql`SELECT code FROM tickets WHERE id = ${t.id}`);
    expect(row.code).toMatch(/^[A-Za-z0-9_-]{22}$/); // 128 random bits
    expect(verifyTicketPayload(t.qrPayload)).toEqual({ ticketId: t.id, code: row.code });
    const [v, id, code, mac] = t.qrPayload.split(".");
    const other = booking.tickets[1];
    expect(verifyTicketPayload([v, other.id, code, mac].join("."))).toBeNull();
    expect(verifyTicketPayload([v, id, newTicketCode(), mac].join("."))).toBeNull();
    expect(verifyTicketPayload([v, id, code, mac.slice(0, -2) + (mac.endsWith("AA") ? "BB" : "AA")].join("."))).toBeNull();
    expect(verifyTicketPayload(ticketQrPayload({ id: t.id, code: row.code }))).not.toBeNull();
    expect(verifyTicketPayload("garbage")).toBeNull();
    const svg = await qrSvg(t.qrPayload);
    expect(svg).toMatch(/^<svg[^>]*>/);
  });
});
