import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.PAYMENT_PROVIDER = "stripe";
  process.env.STRIPE_SECRET_KEY = "sk_test_offline";
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_offline_test_secret";
  process.env.PAYMENT_TIMEOUT_MS = "1500";
  process.env.TESSERA_TEST_FAULTS = "1";
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout } from "@/lib/checkout";
import { armFault } from "@/lib/testing/faults";
import { setPaymentProviderForTests } from "@/lib/payments";
import { createStripeProvider } from "@/lib/payments/stripe";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { newKey, pay } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { checkoutsOf, reservationStatus } from "@/tests/helpers/db-state";

// Stripe without the network: the official client talks to a small loopback fake of the
// PaymentIntents and Refunds API that honours Idempotency-Key like Stripe does, and webhooks
// are signed with stripe.webhooks.generateTestHeaderString.

type PI = {
  id: string;
  object: "payment_intent";
  amount: number;
  currency: string;
  status: string;
  metadata: Record<string, string>;
  last_payment_error: null;
};
const intents = new Map<string, PI>();
const byKey = new Map<string, { status: number; body: string }>();
const calls: { method: string; path: string; key: string | null }[] = [];
let server: http.Server;
let n = 0;

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "request-id": `req_${++n}` });
  res.end(text);
}

function handle(method: string, path: string, form: URLSearchParams): { status: number; body: unknown } {
  if (method === "POST" && path === "/v1/payment_intents") {
    const pm = form.get("payment_method");
    if (pm === "pm_card_chargeDeclined") {
      return {
        status: 402,
        body: { error: { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." } },
      };
    }
    const metadata: Record<string, string> = {};
    for (const [k, v] of form) if (k.startsWith("metadata[")) metadata[k.slice(9, -1)] = v;
    const pi: PI = {
      id: `pi_${++n}`,
      object: "payment_intent",
      amount: Number(form.get("amount")),
      currency: form.get("currency")!,
      status: pm === "pm_card_processing" ? "processing" : "succeeded",
      metadata,
      last_payment_error: null,
    };
    intents.set(pi.id, pi);
    return { status: 200, body: pi };
  }
  const get = path.match(/^\/v1\/payment_intents\/(pi_\d+)$/);
  if (method === "GET" && get)
    return intents.has(get[1])
      ? { status: 200, body: intents.get(get[1]) }
      : { status: 404, body: { error: { type: "invalid_request_error", message: "No such payment_intent" } } };
  if (method === "POST" && path === "/v1/refunds")
    return {
      status: 200,
      body: { id: `re_${++n}`, object: "refund", payment_intent: form.get("payment_intent"), amount: Number(form.get("amount")), status: "succeeded" },
    };
  return { status: 404, body: { error: { type: "invalid_request_error", message: `No route ${method} ${path}` } } };
}

async function webhook(event: unknown, secret = process.env.STRIPE_WEBHOOK_SECRET!) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  const req = new Request("http://localhost/api/webhooks/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  });
  return stripeWebhook(req, { params: Promise.resolve({}) });
}

function intentEvent(type: string, pi: PI) {
  return { id: `evt_${++n}`, object: "event", type, api_version: Stripe.API_VERSION, created: Math.floor(Date.now() / 1000), data: { object: { ...pi } } };
}

async function setup() {
  const { event, places } = await createTestEvent({ sections: [seats(1, 4, 2100)] });
  const actor = toActor(await createUser());
  const res = await hold(actor, event.id, { seatIds: [places[0].id] });
  return { event, actor, res };
}

const stripePay = (paymentMethodId: string) => ({ method: "stripe" as const, paymentMethodId });

describe("stripe provider (offline)", () => {
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
        const path = (req.url ?? "").split("?")[0];
        calls.push({ method: req.method!, path, key });
        const cached = key ? byKey.get(key) : undefined;
        if (cached) return send(res, cached.status, cached.body);
        const out = handle(req.method!, path, new URLSearchParams(raw));
        const body = JSON.stringify(out.body);
        if (key) byKey.set(key, { status: out.status, body });
        send(res, out.status, body);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    setPaymentProviderForTests(
      "stripe",
      createStripeProvider(new Stripe("sk_test_offline", { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 })),
    );
  });
  afterAll(async () => {
    setPaymentProviderForTests("stripe", null);
    await new Promise((r) => server.close(r));
  });

  it("charges through a PaymentIntent with the checkout's key as Stripe's Idempotency-Key", async () => {
    const { event, actor, res } = await setup();
    const key = newKey();
    const r = await confirmCheckout(actor, { reservationId: res.id, payment: stripePay("pm_card_visa") }, key);
    expect(r).toMatchObject({ ok: true, status: 201 });
    const [c] = await checkoutsOf(res.id);
    const creates = calls.filter((x) => x.path === "/v1/payment_intents" && x.key === c.provider_key);
    expect(creates).toHaveLength(1);
    const [p] = await db().execute<{ provider: string; provider_ref: string; status: string }>(
      sql`SELECT provider, provider_ref, status FROM payments WHERE checkout_id = ${c.id}`,
    );
    expect(p).toMatchObject({ provider: "stripe", status: "SUCCEEDED" });
    expect(intents.get(p.provider_ref)).toMatchObject({ amount: 2100, currency: "eur", metadata: { checkout_id: c.id, provider_key: c.provider_key } });
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
    const pi = [...intents.values()].find((x) => x.metadata.checkout_id === c.id)!;
    const [ref] = await db().execute<{ provider_ref: string }>(sql`SELECT provider_ref FROM checkouts WHERE id = ${c.id}`);
    expect(ref.provider_ref).toBe(pi.id); // remembered, so a lookup needs no search
    pi.status = "succeeded";

    const forged = await webhook(intentEvent("payment_intent.succeeded", pi), "whsec_not_ours");
    expect(forged.status).toBe(400);
    expect((await checkoutsOf(res.id))[0].state).toBe("STARTED");

    const deliveries = await Promise.all([1, 2, 3].map(() => webhook(intentEvent("payment_intent.succeeded", pi))));
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
    expect(calls.filter((x) => x.path === "/v1/refunds" && x.key === `refund_${c.provider_key}`)).toHaveLength(1);
    await expectIntegrity(event.id);
  });
});
