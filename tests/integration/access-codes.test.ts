import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import type { User } from "@/db/schema";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout } from "@/lib/checkout";
import { holdSeats } from "@/lib/holds";
import { placeHold } from "@/lib/holds/place-hold";
import { unlockWithAccessCode } from "@/lib/promo-codes/access";
import { createPromoCode, deactivatePromoCode } from "@/lib/promo-codes/manage";
import type { PromoCodeRequest } from "@/lib/promo-codes/schemas";
import { createTestEvent, createUser, createUsers, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { newKey, pay } from "@/tests/helpers/payments";

// Access codes (kind ACCESS, lib/promo-codes/access.ts, docs/promo-codes.md): customers who
// enter one may hold places before the public sale opens, while the code is valid. Real
// PostgreSQL and Redis; the one-statement hold (placeHold) refuses before the sale and hands the
// presale hold to the step-by-step path.

async function presaleEvent() {
  const made = await createTestEvent({ sections: [seats(2, 10, 3000)], onSale: false });
  const staff = toActor(made.organizer);
  const code = async (req: PromoCodeRequest) => {
    const r = await createPromoCode(staff, made.event.id, req);
    if (!r.ok) throw new Error(`${r.code} ${r.message} ${JSON.stringify(r.fields)}`);
    return r.promoCode;
  };
  return { ...made, staff, code };
}

const claims = (u: User) => ({ userId: u.id, sessionVersion: u.sessionVersion, source: "bearer" as const });

describe("access codes (presale)", () => {
  it("a customer who entered the code holds and buys before the public sale; others are told the sale has not started", async () => {
    const { event, places, code } = await presaleEvent();
    await code({ code: "FANCLUB", kind: "ACCESS" });
    const [fan, other] = await createUsers(2);
    expect(await placeHold(claims(other), event.id, { seatIds: [places[0].id] }, null)).toMatchObject({ ok: false, code: "sale_not_open" });
    expect(await unlockWithAccessCode(toActor(fan), event.id, "nope")).toMatchObject({ ok: false, fields: { code: expect.any(Array) } });
    expect(await unlockWithAccessCode(toActor(fan), event.id, " fanclub ")).toMatchObject({ ok: true, grant: { code: "FANCLUB", presaleOpen: true } });
    expect(await unlockWithAccessCode(toActor(fan), event.id, "FANCLUB")).toMatchObject({ ok: true }); // again: nothing changes
    const held = await placeHold(claims(fan), event.id, { seatIds: [places[0].id, places[1].id] }, null);
    expect(held).toMatchObject({ ok: true });
    if (!held.ok) return;
    // An access code is no discount code.
    expect(await confirmCheckout(toActor(fan), { reservationId: held.reservation.id, payment: pay("success"), promoCode: "FANCLUB" }, newKey())).toMatchObject({
      ok: false,
      fields: { promoCode: [expect.stringMatching(/do not know/)] },
    });
    const paid = await confirmCheckout(toActor(fan), { reservationId: held.reservation.id, payment: pay("success") }, newKey());
    expect(paid).toMatchObject({ ok: true, booking: { amountMinor: 6000 } });
    expect(await holdSeats(toActor(other), event.id, { seatIds: [places[2].id] })).toMatchObject({ ok: false, code: "sale_not_open" });
    await expectIntegrity(event.id);
  });

  it("a presale window not open yet, an expired or deactivated code: no presale holds", async () => {
    const { event, places, code, staff } = await presaleEvent();
    const later = await code({ code: "LATER", kind: "ACCESS", validFrom: new Date(Date.now() + 3_600_000).toISOString() });
    await code({ code: "GONE", kind: "ACCESS", validUntil: new Date(Date.now() - 60_000).toISOString() });
    const off = await code({ code: "OFF", kind: "ACCESS" });
    const fan = toActor(await createUser());
    expect(await unlockWithAccessCode(fan, event.id, "later")).toMatchObject({ ok: true, grant: { presaleOpen: false, presaleFrom: expect.any(String) } });
    expect(await holdSeats(fan, event.id, { seatIds: [places[0].id] })).toMatchObject({ ok: false, code: "sale_not_open" });
    expect(await unlockWithAccessCode(fan, event.id, "gone")).toMatchObject({ ok: false, fields: { code: ["Expired"] } });
    expect(await unlockWithAccessCode(fan, event.id, "off")).toMatchObject({ ok: true, grant: { presaleOpen: true } });
    expect(await holdSeats(fan, event.id, { seatIds: [places[0].id] })).toMatchObject({ ok: true });
    await deactivatePromoCode(staff, event.id, off.id);
    expect(await holdSeats(fan, event.id, { seatIds: [places[1].id] })).toMatchObject({ ok: false, code: "sale_not_open" });
    expect(later.kind).toBe("ACCESS");
    await expectIntegrity(event.id);
  });

  it("20 customers racing to enter a code for 3 customers: exactly 3 unlocked", async () => {
    const { event, code } = await presaleEvent();
    const c = await code({ code: "FEW", kind: "ACCESS", maxUses: 3 });
    const fans = (await createUsers(20)).map(toActor);
    const results = await Promise.all(fans.map((f) => unlockWithAccessCode(f, event.id, "few")));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ fields: { code: ["Used up"] } });
    const [n] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM access_grants WHERE code_id = ${c.id}`);
    expect(n.n).toBe(3);
  });
});
