import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.PAYMENT_PROVIDER = "stripe";
  process.env.STRIPE_SECRET_KEY = "sk_test_offline";
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_offline_test_secret";
  process.env.PAYMENT_TIMEOUT_MS = "1500";
  process.env.TESSERA_TEST_FAULTS = "1";
});

import { sql } from "drizzle-orm";
import { db } from "@/db";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout } from "@/lib/checkout";
import { ACTION_WINDOW_MS } from "@/lib/checkout/action-window";
import { resumeAfterAction } from "@/lib/checkout/resume";
import { sweepStuckCheckouts } from "@/lib/checkout/sweep";
import { armFault } from "@/lib/testing/faults";
import { setPaymentProviderForTests } from "@/lib/payments";
import { createStripeProvider } from "@/lib/payments/stripe";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { newKey, pay } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { checkoutsOf, reservationStatus } from "@/tests/helpers/db-state";
import { startStripeFake, type FakeIntent, type StripeFake } from "@/tests/helpers/stripe-fake";

// Stripe without the network: the official client talks to a loopback fake of the
// PaymentIntents and Refunds API (tests/helpers/stripe-fake.ts) that honours Idempotency-Key like
// Stripe does, and webhooks are signed with stripe.webhooks.generateTestHeaderString. Covered:
// success, decline, 3-D Secure completed / failed / abandoned, and webhook-only completion.

let fake: StripeFake;

async function webhook(type: string, pi: FakeIntent, secret = process.env.STRIPE_WEBHOOK_SECRET!) {
  const { payload, signature } = fake.signedEvent(type, pi, secret);
  const req = new Request("http://localhost/api/webhooks/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  });
  return stripeWebhook(req, { params: Promise.resolve({}) });
}

async function setup() {
  const { event, places } = await createTestEvent({ sections: [seats(1, 4, 2100)] });
  const actor = toActor(await createUser());
  const res = await hold(actor, event.id, { seatIds: [places[0].id] });
  return { event, actor, res, seat: places[0].id };
}

const stripePay = (paymentMethodId: string) => ({ method: "stripe" as const, paymentMethodId });

/** A 3-D Secure card: the checkout waits for the customer, who is told where to go. */
async function challenged() {
  const s = await setup();
  const key = newKey();
  const r = await confirmCheckout(s.actor, { reservationId: s.res.id, payment: stripePay("pm_card_threeDSecure2Required") }, key);
  expect(r).toMatchObject({ ok: false, code: "payment_action_required", nextAction: { clientSecret: expect.stringMatching(/_secret_/) } });
  const [c] = await checkoutsOf(s.res.id);
  const pi = fake.intentOf(c.id)!;
  expect(pi.status).toBe("requires_action");
  return { ...s, key, checkoutId: c.id, pi };
}

/** Everything the hold and the payment deadline had left, gone: as if the customer walked away. */
async function timePasses(reservationId: string) {
  await db().execute(sql`
    WITH r AS (UPDATE reservations SET expires_at = now() - interval '1 second', payment_deadline = now() - interval '1 second' WHERE id = ${reservationId}),
         c AS (UPDATE checkouts SET deadline = now() - interval '1 second' WHERE reservation_id = ${reservationId})
    UPDATE inventory SET hold_expires_at = now() - interval '1 second' WHERE reservation_id = ${reservationId}`);
}

describe("stripe provider (offline)", () => {
  beforeAll(async () => {
    fake = await startStripeFake();
    setPaymentProviderForTests("stripe", createStripeProvider(fake.client));
  });
  afterAll(async () => {
    setPaymentProviderForTests("stripe", null);
    await fake?.stop();
  });

  it("charges through a PaymentIntent with the checkout's key as Stripe's Idempotency-Key", async () => {
    const { event, actor, res } = await setup();
    const key = newKey();
    const r = await confirmCheckout(actor, { reservationId: res.id, payment: stripePay("pm_card_visa") }, key);
    expect(r).toMatchObject({ ok: true, status: 201 });
    const [c] = await checkoutsOf(res.id);
    const creates = fake.calls.filter((x) => x.path === "/v1/payment_intents" && x.key === c.provider_key);
    expect(creates).toHaveLength(1);
    const [p] = await db().execute<{ provider: string; provider_ref: string; status: string }>(
      sql`SELECT provider, provider_ref, status FROM payments WHERE checkout_id = ${c.id}`,
    );
    expect(p).toMatchObject({ provider: "stripe", status: "SUCCEEDED" });
    expect(fake.intents.get(p.provider_ref)).toMatchObject({ amount: 2100, currency: "eur", metadata: { checkout_id: c.id, provider_key: c.provider_key } });
    expect((await confirmCheckout(actor, { reservationId: res.id, payment: stripePay("pm_card_visa") }, key)).replayed).toBe(true);
    await expectIntegrity(event.id);
  });

  it("a card error is a decline; the reservation stays held; the mock method is refused", async () => {
    const { actor, res } = await setup();
    const r = await confirmCheckout(actor, { reservationId: res.id, payment: stripePay("pm_card_chargeDeclined") }, newKey());
    expect(r).toMatchObject({ ok: false, code: "payment_declined", declineCode: "generic_decline" });
    expect(await reservationStatus(res.id)).toBe("ACTIVE");
    const mock = await confirmCheckout(actor, { reservationId: res.id, payment: pay() }, newKey());
    expect(mock).toMatchObject({ ok: false, code: "validation_failed" });
  });

  it("a payment still processing is finished by the signed webhook, once, however often it is delivered", async () => {
    const { event, actor, res } = await setup();
    const key = newKey();
    const r = await confirmCheckout(actor, { reservationId: res.id, payment: stripePay("pm_card_processing") }, key);
    expect(r).toMatchObject({ ok: false, code: "payment_timeout" });
    const [c] = await checkoutsOf(res.id);
    expect(c.state).toBe("STARTED");
    const pi = fake.intentOf(c.id)!;
    const [ref] = await db().execute<{ provider_ref: string }>(sql`SELECT provider_ref FROM checkouts WHERE id = ${c.id}`);
    expect(ref.provider_ref).toBe(pi.id); // remembered, so a lookup needs no search
    pi.status = "succeeded";

    const forged = await webhook("payment_intent.succeeded", pi, "whsec_not_ours");
    expect(forged.status).toBe(400);
    expect((await checkoutsOf(res.id))[0].state).toBe("STARTED");

    const deliveries = await Promise.all([1, 2, 3].map(() => webhook("payment_intent.succeeded", pi)));
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
    const [after] = await checkoutsOf(res.id);
    expect(after.state).toBe("BOOKED");
    const [b] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM bookings WHERE reservation_id = ${res.id}`);
    expect(b.n).toBe(1);
    const retry = await confirmCheckout(actor, { reservationId: res.id, payment: stripePay("pm_card_processing") }, key);
    expect(retry).toMatchObject({ ok: true, status: 201 });
    await expectIntegrity(event.id);
  });

  it("compensation refunds through Stripe with its own idempotency key", async () => {
    const { event, actor, res } = await setup();
    armFault("after-charge", { reservationId: res.id });
    const r = await confirmCheckout(actor, { reservationId: res.id, payment: stripePay("pm_card_visa") }, newKey());
    expect(r).toMatchObject({ ok: false, code: "internal", refunded: true });
    const [c] = await checkoutsOf(res.id);
    expect(c.state).toBe("REFUNDED");
    expect(fake.calls.filter((x) => x.path === "/v1/refunds" && x.key === `refund_${c.provider_key}`)).toHaveLength(1);
    await expectIntegrity(event.id);
  });

  it("3-D Secure completed: the seats are kept while the customer answers, and the return books once", async () => {
    const { event, actor, res, key, checkoutId, pi } = await challenged();
    const [d] = await db().execute<{ left_ms: number; hold_ms: number; status: string }>(sql`
      SELECT extract(epoch FROM c.deadline - now()) * 1000 AS left_ms, extract(epoch FROM min(i.hold_expires_at) - now()) * 1000 AS hold_ms, r.status
      FROM checkouts c JOIN reservations r ON r.id = c.reservation_id JOIN inventory i ON i.reservation_id = r.id
      WHERE c.id = ${checkoutId} GROUP BY c.deadline, r.status`);
    expect(d.status).toBe("PAYMENT");
    expect(Number(d.left_ms)).toBeGreaterThan(ACTION_WINDOW_MS - 60_000); // the payment deadline moved: minutes, not seconds
    expect(Number(d.hold_ms)).toBeGreaterThan(ACTION_WINDOW_MS - 60_000);
    // Back too early (the challenge still open): nothing changes.
    expect(await resumeAfterAction(actor, res.id)).toEqual({ kind: "waiting" });
    fake.answerChallenge(pi.id, true);
    const back = await resumeAfterAction(actor, res.id);
    expect(back).toMatchObject({ kind: "booked", reference: expect.any(String) });
    expect(await resumeAfterAction(actor, res.id)).toEqual(back);
    // The pay button pressed again with the same key: the booking, not a second charge.
    const retry = await confirmCheckout(actor, { reservationId: res.id, payment: stripePay("pm_card_threeDSecure2Required") }, key);
    expect(retry).toMatchObject({ ok: true, status: 201 });
    expect([...fake.intents.values()].filter((x) => x.metadata.checkout_id === checkoutId)).toHaveLength(1);
    await expectIntegrity(event.id);
  });

  it("3-D Secure failed: declined, nothing charged, the seats stay held for another card", async () => {
    const { event, actor, res, pi } = await challenged();
    fake.answerChallenge(pi.id, false);
    expect(await resumeAfterAction(actor, res.id)).toEqual({ kind: "declined" });
    expect(await reservationStatus(res.id)).toBe("ACTIVE");
    const again = await confirmCheckout(actor, { reservationId: res.id, payment: stripePay("pm_card_visa") }, newKey());
    expect(again).toMatchObject({ ok: true, status: 201 });
    await expectIntegrity(event.id);
  });

  it("3-D Secure abandoned: after the deadline the sweep cancels the PaymentIntent, the hold ends and nothing is charged", async () => {
    const { event, res, pi, seat } = await challenged();
    await timePasses(res.id);
    const report = await sweepStuckCheckouts();
    expect(report.examined).toBeGreaterThanOrEqual(1);
    expect(pi.status).toBe("canceled");
    expect(await reservationStatus(res.id)).toBe("EXPIRED");
    const [place] = await db().execute<{ status: string }>(sql`SELECT status FROM inventory WHERE id = ${seat}`);
    expect(place.status).toBe("AVAILABLE");
    const [c] = await checkoutsOf(res.id);
    expect(c.state).toBe("DECLINED");
    // The bank's answer arriving now moves no money: the PaymentIntent is gone.
    expect(() => fake.answerChallenge(pi.id, true)).toThrow(/no challenge/);
    await expectIntegrity(event.id);
  });

  it("webhook-only completion: the customer passes the challenge and never comes back; the signed webhook books", async () => {
    const { event, actor, res, key, pi } = await challenged();
    fake.answerChallenge(pi.id, true);
    const delivered = await webhook("payment_intent.succeeded", pi);
    expect(delivered.status).toBe(200);
    const [c] = await checkoutsOf(res.id);
    expect(c.state).toBe("BOOKED");
    expect(await reservationStatus(res.id)).toBe("CONFIRMED");
    // Later the browser does come back, or retries: the same booking.
    expect(await resumeAfterAction(actor, res.id)).toMatchObject({ kind: "booked" });
    expect(await confirmCheckout(actor, { reservationId: res.id, payment: stripePay("pm_card_threeDSecure2Required") }, key)).toMatchObject({ ok: true });
    await expectIntegrity(event.id);
  });
});
