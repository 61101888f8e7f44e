import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { users } from "@/db/schema";
import { formatReference } from "@/lib/bookings/reference";
import { formatShortCode } from "@/lib/tickets/short-code";
import { checkInTicket } from "@/lib/checkin";
import { listStaffEvents } from "@/lib/dashboard/events";
import { exportEventCsv } from "@/lib/dashboard/export";
import { getHouseLayout, getHouseSeats } from "@/lib/dashboard/house";
import { getEventDashboard } from "@/lib/dashboard/stats";
import { confirmCheckout } from "@/lib/checkout";
import { unlockWithAccessCode } from "@/lib/promo-codes/access";
import { createPromoCode } from "@/lib/promo-codes/manage";
import { decodeStates } from "@/lib/seatmap/bitmap";
import { createTestEvent, ga, seats, createCast } from "@/tests/helpers/fixtures";
import { hold, buy } from "@/tests/helpers/purchase";
import { newKey, pay } from "@/tests/helpers/payments";

// The live dashboard, the house seat map, the event list and the CSV exports.

describe("getEventDashboard", () => {
  it("counts sold / held / available per section, revenue, sales buckets and recent bookings", async () => {
    const c = await createCast();
    const { event, places } = await createTestEvent({ organizer: c.organizerUser, sections: [seats(2, 5, 1500, "Stalls"), ga(20, 500, "Floor")] });
    const empty = await getEventDashboard(c.organizer, event.id);
    expect(empty?.totals).toMatchObject({ capacity: 30, sold: 0, held: 0, available: 30, revenueMinor: 0, bookings: 0 });

    const floor = empty!.sections[1].id;
    await buy(c.customer, event.id, { seatIds: [places[0].id, places[1].id] });
    await buy(c.otherCustomer, event.id, { sectionId: floor, quantity: 3 });
    await hold(c.admin, event.id, { seatIds: [places[5].id] });

    const d = (await getEventDashboard(c.organizer, event.id))!;
    expect(d.sections.map((s) => [s.name, s.sold, s.held, s.available, s.revenueMinor])).toEqual([
      ["Stalls", 2, 1, 7, 3000],
      ["Floor", 3, 0, 17, 1500],
    ]);
    expect(d.totals).toMatchObject({ capacity: 30, sold: 5, held: 1, available: 24, revenueMinor: 4500, bookings: 2, checkedIn: 0 });
    expect(d.sales.bucketSeconds).toBe(60);
    expect(d.sales.buckets.reduce((n, b) => n + b.tickets, 0)).toBe(5);
    expect(d.sales.buckets.reduce((n, b) => n + b.revenueMinor, 0)).toBe(4500);
    expect(d.recent.map((r) => [r.customerEmail, r.tickets, r.amountMinor])).toEqual([
      [c.otherCustomer.email, 3, 1500],
      [c.customer.email, 2, 3000],
    ]);
  });

  it("counts each code: bookings out of its limit, checkouts being paid, discount given, customers an access code unlocked", async () => {
    const c = await createCast();
    const { event, places } = await createTestEvent({ organizer: c.organizerUser, sections: [seats(2, 5, 2000, "Stalls")] });
    for (const req of [
      { code: "HALF", kind: "PERCENT" as const, amount: 50, maxUses: 5 },
      { code: "FANS", kind: "ACCESS" as const, maxUses: 3 },
      { code: "IDLE", kind: "FIXED" as const, amount: 100 },
    ]) {
      expect(await createPromoCode(c.organizer, event.id, req)).toMatchObject({ ok: true });
    }
    const before = (await getEventDashboard(c.organizer, event.id))!;
    expect(before.codes.map((x) => [x.code, x.kind, x.bookings, x.pending, x.discountMinor, x.unlocked])).toEqual([
      ["HALF", "PERCENT", 0, 0, 0, null],
      ["FANS", "ACCESS", 0, 0, 0, 0],
      ["IDLE", "FIXED", 0, 0, 0, null],
    ]);
    // The customer enters the access code, then buys two seats with HALF: one booking for each code.
    expect(await unlockWithAccessCode(c.customer, event.id, "fans")).toMatchObject({ ok: true });
    const r1 = await hold(c.customer, event.id, { seatIds: [places[0].id, places[1].id] });
    expect(await confirmCheckout(c.customer, { reservationId: r1.id, payment: pay("success"), promoCode: "half" }, newKey())).toMatchObject({ ok: true });
    // Another customer's checkout with HALF waits for 3-D Secure: it counts against HALF, being paid.
    const r2 = await hold(c.otherCustomer, event.id, { seatIds: [places[2].id] });
    expect(await confirmCheckout(c.otherCustomer, { reservationId: r2.id, payment: pay("threeDSecure"), promoCode: "HALF" }, newKey())).toMatchObject({
      ok: false,
    });
    const d = (await getEventDashboard(c.organizer, event.id))!;
    expect(d.codes.map((x) => [x.code, x.maxUses, x.bookings, x.pending, x.discountMinor, x.unlocked])).toEqual([
      ["HALF", 5, 1, 1, 2000, null],
      ["FANS", 3, 1, 0, 0, 1],
      ["IDLE", null, 0, 0, 0, null],
    ]);
  });

  it("other organizers and customers see nothing", async () => {
    const c = await createCast();
    const { event } = await createTestEvent({ organizer: c.organizerUser });
    expect(await getEventDashboard(c.otherOrganizer, event.id)).toBeNull();
    expect(await getHouseLayout(c.otherOrganizer, event.id)).toBeNull();
    expect(await exportEventCsv(c.otherOrganizer, event.id, "attendees")).toBeNull();
    expect(await getEventDashboard(c.admin, event.id)).not.toBeNull();
    for (const who of [c.customer, c.otherCustomer]) {
      await expect(getEventDashboard(who, event.id)).rejects.toMatchObject({ code: "forbidden" });
      await expect(getHouseLayout(who, event.id)).rejects.toMatchObject({ code: "forbidden" });
      await expect(exportEventCsv(who, event.id, "bookings")).rejects.toMatchObject({ code: "forbidden" });
      await expect(listStaffEvents(who)).rejects.toMatchObject({ code: "forbidden" });
    }
  });
});

describe("house seat map and event list", () => {
  it("layout and live states line up by seq; a sold seat reads as sold", async () => {
    const c = await createCast();
    const { event, places } = await createTestEvent({ organizer: c.organizerUser, sections: [seats(2, 4)] });
    await buy(c.customer, event.id, { seatIds: [places[2].id] });
    const layout = (await getHouseLayout(c.organizer, event.id))!;
    expect(layout.ids).toEqual(places.map((p) => p.id));
    const states = await getHouseSeats(event.id, true);
    expect(decodeStates(states!.data, states!.count)[2]).toBe(2);
  });

  it("organizers list only their own events (drafts included); admins list all", async () => {
    const c = await createCast();
    const mine = await createTestEvent({ organizer: c.organizerUser });
    const theirs = await createTestEvent();
    const own = await listStaffEvents(c.organizer);
    expect(own.map((e) => e.id)).toEqual([mine.event.id]);
    const all = (await listStaffEvents(c.admin)).map((e) => e.id);
    expect(all).toEqual(expect.arrayContaining([mine.event.id, theirs.event.id]));
  });
});

describe("CSV export", () => {
  it("exports attendees (live tickets, check-in time) and bookings; a hostile name stays inert", async () => {
    const c = await createCast();
    await db().update(users).set({ name: '=cmd|"/c calc"!A1' }).where(eq(users.id, c.customer.id));
    const { event, places } = await createTestEvent({ organizer: c.organizerUser, sections: [seats(1, 5, 2550)] });
    const booking = await buy(c.customer, event.id, { seatIds: [places[0].id, places[1].id] });
    await checkInTicket(c.organizer, event.id, booking.tickets[0].qrPayload);

    const attendees = (await exportEventCsv(c.organizer, event.id, "attendees"))!;
    expect(attendees.filename).toMatch(/-attendees\.csv$/);
    const lines = attendees.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      '"booking_reference","ticket_code","ticket_id","name","email","section","row","seat","ticket_type","price","currency","status","checked_in_at"',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"'=cmd|""/c calc""!A1"`);
    expect(lines[1]).toMatch(/"A","1","","25.50","EUR","USED","\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$/);
    expect(lines[2]).toMatch(/"A","2","","25.50","EUR","VALID",""$/);

    const bookings = (await exportEventCsv(c.admin, event.id, "bookings"))!;
    const rows = bookings.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(rows).toHaveLength(2);
    // References in the one display form people see everywhere else (J5C1-Y1BM).
    expect(rows[1]).toContain(`"${formatReference(booking.reference)}"`);
    // The door list carries the code printed on each ticket, as printed (XXX-XXX-XXX).
    expect(lines[1].startsWith(`"${formatReference(booking.reference)}","${formatShortCode(booking.tickets[0].shortCode)}",`)).toBe(true);
    expect(lines[2]).toContain(`"${formatShortCode(booking.tickets[1].shortCode)}"`);
    expect(rows[1]).toContain('"CONFIRMED","2","","51.00","EUR"');
  });
});
