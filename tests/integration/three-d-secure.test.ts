import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout } from "@/lib/checkout";
import { resumeAfterAction } from "@/lib/checkout/resume";
import { sweepStuckCheckouts } from "@/lib/checkout/sweep";
import { answerMockChallenge } from "@/lib/payments/mock";
import { checkoutsOf, reservationStatus } from "@/tests/helpers/db-state";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity, ledger } from "@/tests/helpers/integrity";
import { newKey, pay } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";

// 3-D Secure with the mock provider's test card (docs/payments.md): the charge waits for the
// customer's answer on the mock challenge page; the return page, the retry with the same key or
// the sweep finishes it, exactly once. Stripe's side of the same flow: payments-stripe.test.ts.

async function challenged() {
  const { event, places } = await createTestEvent({ sections: [seats(1, 4, 1800)] });
  const actor = toActor(await createUser());
  const res = await hold(actor, event.id, { seatIds: [places[0].id, places[1].id] });
  const key = newKey();
  const r = await confirmCheckout(actor, { reservationId: res.id, payment: pay("threeDSecure") }, key);
  if (r.ok || r.code !== "payment_action_required") throw new Error(`expected a challenge, got ${JSON.stringify(r)}`);
  const url = r.nextAction.url!;
  const chargeId = decodeURIComponent(url.match(/mock-challenge\/([^?]+)/)![1]);
  return { event, actor, res, key, url, chargeId, seats: [places[0].id, places[1].id] };
}

async function timePasses(reservationId: string) {
  await db().execute(sql`
    WITH r AS (UPDATE reservations SET expires_at = now() - interval '1 second', payment_deadline = now() - interval '1 second' WHERE id = ${reservationId}),
         c AS (UPDATE checkouts SET deadline = now() - interval '1 second' WHERE reservation_id = ${reservationId})
    UPDATE inventory SET hold_expires_at = now() - interval '1 second' WHERE reservation_id = ${reservationId}`);
}

describe("3-D Secure (mock provider)", () => {
  it("sends the customer to the challenge and back to the checkout; approving books once, the retry gets the booking", async () => {
    const { event, actor, res, key, url, chargeId } = await challenged();
    expect(url).toBe(`/payments/mock-challenge/${chargeId}?return=${encodeURIComponent(`/checkout/${res.id}/return`)}`);
    expect(await reservationStatus(res.id)).toBe("PAYMENT");
    expect(await answerMockChallenge(chargeId, true)).toBe("succeeded");
    const back = await resumeAfterAction(actor, res.id);
    expect(back).toMatchObject({ kind: "booked" });
    const retry = await confirmCheckout(actor, { reservationId: res.id, payment: pay("threeDSecure") }, key);
    expect(retry).toMatchObject({ ok: true, status: 201 });
    expect(await ledger(event.id)).toMatchObject({ charged: 3600, charges: 1, refunded: 0 });
    await expectIntegrity(event.id);
  });

  it("the same key pressed again while the challenge is open asks again, without a second charge", async () => {
    const { event, actor, res, key } = await challenged();
    const again = await confirmCheckout(actor, { reservationId: res.id, payment: pay("threeDSecure") }, key);
    expect(again).toMatchObject({ ok: false, code: "payment_action_required" });
    const [n] = await db().execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM mock_ledger l JOIN checkouts c ON c.provider_key = l.idempotency_key WHERE c.reservation_id = ${res.id}`,
    );
    expect(n.n).toBe(1);
    await expectIntegrity(event.id);
  });

  it("cancelling the challenge declines: nothing charged, the seats stay held for another card", async () => {
    const { event, actor, res, chargeId } = await challenged();
    expect(await answerMockChallenge(chargeId, false)).toBe("declined");
    expect(await resumeAfterAction(actor, res.id)).toEqual({ kind: "declined" });
    expect(await reservationStatus(res.id)).toBe("ACTIVE");
    expect(await confirmCheckout(actor, { reservationId: res.id, payment: pay("success") }, newKey())).toMatchObject({ ok: true, status: 201 });
    expect(await ledger(event.id)).toMatchObject({ charged: 3600, charges: 1 });
    await expectIntegrity(event.id);
  });

  it("abandoned: after the payment deadline the sweep voids the challenge, the seats go back, a late approval moves no money", async () => {
    const { event, res, chargeId, seats: ids } = await challenged();
    await timePasses(res.id);
    await sweepStuckCheckouts();
    const [c] = await checkoutsOf(res.id);
    expect(c.state).toBe("DECLINED");
    expect(await reservationStatus(res.id)).toBe("EXPIRED");
    const places = await db().execute<{ status: string }>(sql`SELECT status FROM inventory WHERE id = ANY(${`{${ids.join(",")}}`}::bigint[])`);
    expect(places.map((p) => p.status)).toEqual(["AVAILABLE", "AVAILABLE"]);
    expect(await answerMockChallenge(chargeId, true)).toBe("closed");
    expect(await ledger(event.id)).toMatchObject({ charged: 0 });
    await expectIntegrity(event.id);
  });

  it("the customer approving while the sweep voids it: exactly one of them wins, and the books agree", async () => {
    for (let i = 0; i < 3; i++) {
      const { event, actor, res, chargeId } = await challenged();
      await timePasses(res.id);
      const [answer] = await Promise.all([answerMockChallenge(chargeId, true), sweepStuckCheckouts()]);
      await resumeAfterAction(actor, res.id);
      const [c] = await checkoutsOf(res.id);
      const [row] = await db().execute<{ outcome: string }>(sql`SELECT outcome FROM mock_ledger WHERE charge_id = ${chargeId}`);
      if (answer === "succeeded") {
        expect(row.outcome).toBe("succeeded");
        expect(c.state).toBe("BOOKED"); // the seats were still free: booked after all
      } else {
        expect(row.outcome).toBe("canceled");
        expect(c.state).toBe("DECLINED");
      }
      await expectIntegrity(event.id);
    }
  });
});
