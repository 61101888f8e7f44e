import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { toActor } from "@/lib/auth/users";
import { loadBookingView } from "@/lib/bookings/views";
import { createStaffOrder } from "@/lib/box-office/order";
import { confirmCheckout } from "@/lib/checkout";
import { quoteCheckout } from "@/lib/checkout/quote";
import { createPromoCode, deactivatePromoCode, listPromoCodes } from "@/lib/promo-codes/manage";
import type { PromoCodeRequest } from "@/lib/promo-codes/schemas";
import { refundTickets } from "@/lib/refunds/refund";
import { createTestEvent, createUser, createUsers, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity, expectLedgerBalanced } from "@/tests/helpers/integrity";
import { hold } from "@/tests/helpers/purchase";
import { newKey, pay } from "@/tests/helpers/payments";

// Discount codes (lib/promo-codes, docs/promo-codes.md): applied at checkout start after the
// per-place prices are known, uses counted exactly under a lock on the code's row, the booking
// and its tickets carry the discounted prices. Real PostgreSQL and Redis; the race uses the
// pool's separate connections.

async function codedEvent() {
  const made = await createTestEvent({ sections: [seats(4, 10, 4000, "Stalls"), ga(50, 2500, "Standing")], maxPerOrder: 10 });
  const staff = toActor(made.organizer);
  const [stalls, standing] = made.sections;
  const code = async (req: PromoCodeRequest) => {
    const r = await createPromoCode(staff, made.event.id, req);
    if (!r.ok) throw new Error(`${r.code} ${r.message} ${JSON.stringify(r.fields)}`);
    return r.promoCode;
  };
  return { ...made, staff, stalls, standing, code };
}

const payWith = (who: Actor, reservationId: string, promoCode?: string) =>
  confirmCheckout(who, { reservationId, payment: pay("success"), ...(promoCode !== undefined ? { promoCode } : {}) }, newKey());

describe("discount codes", () => {
  it("a percentage code takes its share off each seat; booking, tickets and redemption carry it; refunds return what was paid", async () => {
    const { event, places, code, staff } = await codedEvent();
    const promo = await code({ code: "Spring20", kind: "PERCENT", amount: 20 });
    const buyer = toActor(await createUser());
    const r = await hold(buyer, event.id, { seatIds: [places[0].id, places[1].id] });
    expect(await quoteCheckout(buyer, r.id, { promoCode: " spring20 " })).toMatchObject({
      ok: true,
      quote: { discountMinor: 1600, totalMinor: 6400, promo: { code: "Spring20", applies: true } },
    });
    const paid = await payWith(buyer, r.id, "SPRING20");
    expect(paid).toMatchObject({ ok: true });
    if (!paid.ok) return;
    expect(paid.booking.amountMinor).toBe(6400);
    expect(paid.booking.tickets.map((t) => t.priceMinor)).toEqual([3200, 3200]);
    const [red] = await db().execute<{ code_id: string; discount_minor: number }>(sql`
      SELECT code_id, discount_minor FROM promo_redemptions WHERE booking_id = ${paid.booking.id}`);
    expect(red).toEqual({ code_id: promo.id, discount_minor: 1600 });
    const listed = await listPromoCodes(staff, event.id);
    expect(listed.ok && listed.items[0]).toMatchObject({ used: 1, pending: 0, discountMinor: 1600 });
    const refund = await refundTickets(staff, paid.booking.reference, { reason: "Show moved" });
    expect(refund).toMatchObject({ ok: true, refund: { amountMinor: 6400 } });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("a fixed code comes off the order's eligible places in turn, never below zero per place", async () => {
    const { event, places, code, stalls } = await codedEvent();
    await code({ code: "STALLS50", kind: "FIXED", amount: 5000, sectionIds: [stalls.id] });
    const buyer = toActor(await createUser());
    const r = await hold(buyer, event.id, { seatIds: [places[0].id, places[1].id] });
    const paid = await payWith(buyer, r.id, "stalls50");
    expect(paid).toMatchObject({ ok: true });
    if (!paid.ok) return;
    expect(paid.booking.amountMinor).toBe(3000); // 8000 - 5000: the first seat free (4000 off), 1000 off the second
    expect(paid.booking.tickets.map((t) => t.priceMinor)).toEqual([0, 3000]);
    await expectIntegrity(event.id);
  });

  it("refuses unknown, expired, not-yet, inactive, used-up codes and codes not for these seats, charging nothing", async () => {
    const { event, places, code, staff, standing } = await codedEvent();
    const past = new Date(Date.now() - 86_400_000).toISOString();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await code({ code: "OLD", kind: "PERCENT", amount: 10, validUntil: past });
    await code({ code: "SOON", kind: "PERCENT", amount: 10, validFrom: future });
    await code({ code: "GAONLY", kind: "PERCENT", amount: 10, sectionIds: [standing.id] });
    await code({ code: "ONCE", kind: "PERCENT", amount: 10, maxUsesPerCustomer: 1 });
    const off = await code({ code: "OFF", kind: "PERCENT", amount: 10 });
    expect(await deactivatePromoCode(staff, event.id, off.id)).toMatchObject({ ok: true, promoCode: { active: false } });
    const buyer = toActor(await createUser());
    const r = await hold(buyer, event.id, { seatIds: [places[0].id] });
    const cases: [string, RegExp][] = [
      ["NOPE", /do not know the code NOPE/],
      ["old", /has expired/],
      ["SOON", /not valid yet/],
      ["OFF", /no longer valid/],
      ["GAONLY", /does not apply to these seats/],
    ];
    for (const [c, message] of cases) {
      const res = await payWith(buyer, r.id, c);
      expect(res).toMatchObject({ ok: false, code: "validation_failed", fields: { promoCode: [expect.stringMatching(message)] } });
    }
    expect(await payWith(buyer, r.id, "ONCE")).toMatchObject({ ok: true });
    const again = await hold(buyer, event.id, { seatIds: [places[1].id] });
    expect(await payWith(buyer, again.id, "once")).toMatchObject({ ok: false, fields: { promoCode: [expect.stringMatching(/already used/)] } });
    expect(await quoteCheckout(buyer, again.id, { promoCode: "once" })).toMatchObject({
      ok: false,
      fields: { promoCode: [expect.stringMatching(/already used/)] },
    });
    const [charges] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM checkouts WHERE event_id = ${event.id} AND state <> 'STARTED'`);
    expect(charges.n).toBe(1);
    // Codes are unique per event whatever their case.
    expect(await createPromoCode(staff, event.id, { code: "once", kind: "FIXED", amount: 100 })).toMatchObject({
      ok: false,
      fields: { code: expect.any(Array) },
    });
    await expectIntegrity(event.id);
  });

  it("a declined payment gives the use back", async () => {
    const { event, places, code } = await codedEvent();
    await code({ code: "SOLO", kind: "PERCENT", amount: 50, maxUses: 1 });
    const [a, b] = (await createUsers(2)).map(toActor);
    const ra = await hold(a, event.id, { seatIds: [places[0].id] });
    const declined = await confirmCheckout(a, { reservationId: ra.id, payment: pay("decline"), promoCode: "SOLO" }, newKey());
    expect(declined).toMatchObject({ ok: false, code: "payment_declined" });
    const rb = await hold(b, event.id, { seatIds: [places[1].id] });
    expect(await payWith(b, rb.id, "SOLO")).toMatchObject({ ok: true, booking: { amountMinor: 2000 } });
    expect(await payWith(a, ra.id, "SOLO")).toMatchObject({ ok: false, fields: { promoCode: [expect.stringMatching(/used as many times/)] } });
    await expectIntegrity(event.id);
  });

  it("30 customers racing for a code with 5 uses: exactly 5 bookings get the discount", async () => {
    const { event, places, code } = await codedEvent();
    const promo = await code({ code: "FIVE", kind: "PERCENT", amount: 25, maxUses: 5 });
    const buyers = (await createUsers(30)).map(toActor);
    const holds = await Promise.all(buyers.map((b, i) => hold(b, event.id, { seatIds: [places[i].id] })));
    const results = await Promise.all(holds.map((h, i) => payWith(buyers[i], h.id, "five")));
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(5);
    for (const r of won) expect(r).toMatchObject({ booking: { amountMinor: 3000 } });
    for (const r of results.filter((x) => !x.ok))
      expect(r).toMatchObject({ code: "validation_failed", fields: { promoCode: [expect.stringMatching(/used as many times/)] } });
    const [n] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM promo_redemptions WHERE code_id = ${promo.id}`);
    expect(n.n).toBe(5);
    await expectIntegrity(event.id);
  });

  describe("at the box office", () => {
    const desk = (staff: Actor, eventId: string, email: string, seatIds: number[], promoCode?: string, method: "CASH" | "COMPLIMENTARY" = "CASH") =>
      createStaffOrder(staff, eventId, { customer: { email }, method, seatIds, ...(promoCode !== undefined ? { promoCode } : {}) });
    const sold = async (ids: number[]) =>
      (
        await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM inventory WHERE id = ANY(${`{${ids.join(",")}}`}::bigint[]) AND status = 'SOLD'`)
      )[0].n;

    it("a desk order takes a code with the checkout's rules; its use counts with web checkouts' and shows on the booking", async () => {
      const { event, places, code, staff, standing } = await codedEvent();
      const promo = await code({ code: "DESK25", kind: "PERCENT", amount: 25, maxUses: 3, maxUsesPerCustomer: 1 });
      await code({ code: "FLOOR", kind: "PERCENT", amount: 10, sectionIds: [standing.id] });
      // A customer with an account: the per-customer limit counts by account, as at checkout.
      const regular = (await createUser()).email;

      const first = await desk(staff, event.id, regular, [places[0].id, places[1].id], " desk25 ");
      expect(first).toMatchObject({ ok: true, amountMinor: 6000, promo: { code: "DESK25", discountMinor: 2000 } });
      if (!first.ok) return;
      expect(first.items.map((i) => i.priceMinor)).toEqual([3000, 3000]);
      const [red] = await db().execute<{ code_id: string; discount_minor: number }>(sql`
        SELECT code_id, discount_minor FROM promo_redemptions WHERE booking_id = ${first.bookingId}`);
      expect(red).toEqual({ code_id: promo.id, discount_minor: 2000 });
      const view = (await loadBookingView(db(), first.bookingId))!;
      expect(view).toMatchObject({ amountMinor: 6000, promo: { code: "DESK25", discountMinor: 2000 } });
      expect(view.tickets.map((t) => t.priceMinor)).toEqual([3000, 3000]);

      // Refusals name the reason on promoCode and sell nothing.
      const again = await desk(staff, event.id, regular, [places[2].id], "DESK25");
      expect(again).toMatchObject({ ok: false, code: "validation_failed", fields: { promoCode: [expect.stringMatching(/used by this customer/)] } });
      const unknown = await desk(staff, event.id, `u-${crypto.randomUUID().slice(0, 6)}@example.test`, [places[2].id], "NOSUCH");
      expect(unknown).toMatchObject({ ok: false, fields: { promoCode: [expect.stringMatching(/do not know the code NOSUCH/)] } });
      const notHere = await desk(staff, event.id, `n-${crypto.randomUUID().slice(0, 6)}@example.test`, [places[2].id], "floor");
      expect(notHere).toMatchObject({ ok: false, fields: { promoCode: [expect.stringMatching(/does not apply to these seats/)] } });
      const comp = await desk(staff, event.id, `c-${crypto.randomUUID().slice(0, 6)}@example.test`, [places[2].id], "DESK25", "COMPLIMENTARY");
      expect(comp).toMatchObject({ ok: false, code: "validation_failed", fields: { promoCode: [expect.stringMatching(/free already/)] } });
      expect(await sold([places[2].id])).toBe(0);

      // One web use and one more at the desk reach the limit of 3: the next checkout is refused.
      const buyer = toActor(await createUser());
      const r = await hold(buyer, event.id, { seatIds: [places[3].id] });
      expect(await payWith(buyer, r.id, "desk25")).toMatchObject({ ok: true, booking: { amountMinor: 3000 } });
      expect(await desk(staff, event.id, `d-${crypto.randomUUID().slice(0, 6)}@example.test`, [places[4].id], "DESK25")).toMatchObject({
        ok: true,
        amountMinor: 3000,
      });
      const late = toActor(await createUser());
      const r2 = await hold(late, event.id, { seatIds: [places[5].id] });
      expect(await payWith(late, r2.id, "DESK25")).toMatchObject({ ok: false, fields: { promoCode: [expect.stringMatching(/used as many times/)] } });
      const lateDesk = await desk(staff, event.id, `e-${crypto.randomUUID().slice(0, 6)}@example.test`, [places[6].id], "DESK25");
      expect(lateDesk).toMatchObject({ ok: false, fields: { promoCode: [expect.stringMatching(/used as many times/)] } });
      const listed = await listPromoCodes(staff, event.id);
      expect(listed.ok && listed.items.find((c) => c.code === "DESK25")).toMatchObject({ used: 3, pending: 0, discountMinor: 4000 });
      await expectIntegrity(event.id);
    });

    it("desk orders and web checkouts racing for a code with 4 uses: exactly 4 get the discount", async () => {
      const { event, places, code, staff } = await codedEvent();
      const promo = await code({ code: "RACE4", kind: "PERCENT", amount: 50, maxUses: 4 });
      const buyers = (await createUsers(8)).map(toActor);
      const holds = await Promise.all(buyers.map((b, i) => hold(b, event.id, { seatIds: [places[i].id] })));
      const results = await Promise.all([
        ...holds.map((h, i) => payWith(buyers[i], h.id, "race4").then((x) => ({ ok: x.ok, channel: "web" }))),
        ...Array.from({ length: 8 }, (_, i) =>
          desk(staff, event.id, `race-${i}-${crypto.randomUUID().slice(0, 6)}@example.test`, [places[10 + i].id], "RACE4").then((x) => ({
            ok: x.ok,
            channel: "desk",
          })),
        ),
      ]);
      expect(results.filter((x) => x.ok)).toHaveLength(4);
      const [n] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM promo_redemptions WHERE code_id = ${promo.id}`);
      expect(n.n).toBe(4);
      // The desk orders refused sold nothing.
      const deskWon = results.filter((x) => x.ok && x.channel === "desk").length;
      expect(await sold(places.slice(10, 18).map((p) => p.id))).toBe(deskWon);
      await expectIntegrity(event.id);
    });
  });
});
