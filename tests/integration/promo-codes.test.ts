import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { toActor } from "@/lib/auth/users";
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
});
