import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

// A loopback fake of the part of Stripe's HTTP API that lib/payments/stripe.ts calls, for the
// official client (pointed at it with host/port/protocol): PaymentIntents (create + confirm in
// one call, retrieve, search by metadata, cancel) and Refunds, with Stripe's Idempotency-Key
// semantics (a repeated key replays the first response). Payment methods are Stripe's test ids:
//
//   pm_card_visa                    succeeded
//   pm_card_chargeDeclined          402 card_error (generic_decline)
//   pm_card_processing              processing (finishes later: set the status, send the webhook)
//   pm_card_threeDSecure2Required   requires_action (3-D Secure): the customer's answer comes
//                                   through answerChallenge(), as if from the issuer's page
//
// It never talks to the network, and webhooks are signed with the test secret like Stripe's.

export type FakeIntent = {
  id: string;
  object: "payment_intent";
  amount: number;
  currency: string;
  status: string;
  client_secret: string;
  metadata: Record<string, string>;
  last_payment_error: null | { type: string; code: string; message: string };
  next_action: null | { type: "redirect_to_url"; redirect_to_url: { url: string; return_url: string | null } } | { type: "use_stripe_sdk" };
};

type Reply = { status: number; body: unknown };

export type StripeFake = {
  url: string;
  client: Stripe;
  intents: Map<string, FakeIntent>;
  refunds: { id: string; payment_intent: string; amount: number }[];
  calls: { method: string; path: string; key: string | null }[];
  intentOf(checkoutId: string): FakeIntent | undefined;
  /** The customer passes (or fails) the 3-D Secure challenge of a PaymentIntent at the issuer. */
  answerChallenge(id: string, approve: boolean): FakeIntent;
  /** A signed webhook event about a PaymentIntent, as Stripe would deliver it. */
  signedEvent(type: string, pi: FakeIntent, secret: string): { payload: string; signature: string };
  stop(): Promise<void>;
};

const error = (status: number, type: string, message: string, extra: Record<string, unknown> = {}): Reply => ({
  status,
  body: { error: { type, message, ...extra } },
});

export async function startStripeFake(): Promise<StripeFake> {
  const intents = new Map<string, FakeIntent>();
  const refunds: StripeFake["refunds"] = [];
  const calls: StripeFake["calls"] = [];
  const byKey = new Map<string, string>();
  let n = 0;
  let origin = "";

  function create(form: URLSearchParams): Reply {
    const pm = form.get("payment_method");
    if (pm === "pm_card_chargeDeclined") return error(402, "card_error", "Your card was declined.", { code: "card_declined", decline_code: "generic_decline" });
    const metadata: Record<string, string> = {};
    for (const [k, v] of form) if (k.startsWith("metadata[")) metadata[k.slice(9, -1)] = v;
    const id = `pi_fake${++n}`;
    const challenge = pm === "pm_card_threeDSecure2Required";
    const returnUrl = form.get("return_url");
    const pi: FakeIntent = {
      id,
      object: "payment_intent",
      amount: Number(form.get("amount")),
      currency: form.get("currency")!,
      status: challenge ? "requires_action" : pm === "pm_card_processing" ? "processing" : "succeeded",
      client_secret: `${id}_secret_fake`,
      metadata,
      last_payment_error: null,
      next_action: challenge
        ? returnUrl
          ? { type: "redirect_to_url", redirect_to_url: { url: `${origin}/3ds/${id}`, return_url: returnUrl } }
          : { type: "use_stripe_sdk" }
        : null,
    };
    intents.set(id, pi);
    return { status: 200, body: pi };
  }

  function handle(method: string, path: string, query: URLSearchParams, form: URLSearchParams): Reply {
    if (method === "POST" && path === "/v1/payment_intents") return create(form);
    if (method === "GET" && path === "/v1/payment_intents/search") {
      const key = query.get("query")?.match(/metadata\['provider_key'\]:'([^']*)'/)?.[1];
      const data = [...intents.values()].filter((pi) => key && pi.metadata.provider_key === key);
      return { status: 200, body: { object: "search_result", data, has_more: false, next_page: null, url: "/v1/payment_intents/search" } };
    }
    const one = path.match(/^\/v1\/payment_intents\/([\w]+)(\/cancel)?$/);
    const pi = one ? intents.get(one[1]) : undefined;
    if (one && !pi) return error(404, "invalid_request_error", `No such payment_intent: '${one[1]}'`, { code: "resource_missing" });
    if (pi && method === "GET" && !one![2]) return { status: 200, body: pi };
    if (pi && method === "POST" && one![2]) {
      if (pi.status === "succeeded" || pi.status === "canceled")
        return error(400, "invalid_request_error", `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`, {
          code: "payment_intent_unexpected_state",
        });
      Object.assign(pi, { status: "canceled", next_action: null });
      return { status: 200, body: pi };
    }
    if (method === "POST" && path === "/v1/refunds") {
      const target = intents.get(form.get("payment_intent") ?? "");
      const amount = Number(form.get("amount") ?? target?.amount);
      if (!target || target.status !== "succeeded") return error(400, "invalid_request_error", "This PaymentIntent has no successful charge to refund.");
      const done = refunds.filter((r) => r.payment_intent === target.id).reduce((s, r) => s + r.amount, 0);
      if (done + amount > target.amount) return error(400, "invalid_request_error", "Refund amount is greater than the unrefunded amount.");
      const refund = { id: `re_fake${++n}`, object: "refund", payment_intent: target.id, amount, status: "succeeded" };
      refunds.push(refund);
      return { status: 200, body: refund };
    }
    return error(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path})`);
  }

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
      const url = new URL(req.url ?? "/", "http://fake");
      calls.push({ method: req.method!, path: url.pathname, key });
      const cached = key ? byKey.get(`${req.method} ${url.pathname} ${key}`) : undefined;
      let text = cached;
      if (!text) {
        const out = handle(req.method!, url.pathname, url.searchParams, new URLSearchParams(raw));
        text = JSON.stringify({ status: out.status, body: out.body });
        if (key) byKey.set(`${req.method} ${url.pathname} ${key}`, text);
      }
      const { status, body } = JSON.parse(text) as Reply;
      res.writeHead(status, { "content-type": "application/json", "request-id": `req_${++n}`, ...(cached ? { "idempotent-replayed": "true" } : {}) });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    client: new Stripe("sk_test_offline", { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 }),
    intents,
    refunds,
    calls,
    intentOf: (checkoutId) => [...intents.values()].find((pi) => pi.metadata.checkout_id === checkoutId),
    answerChallenge(id, approve) {
      const pi = intents.get(id);
      if (!pi || pi.status !== "requires_action") throw new Error(`no challenge waiting on ${id}`);
      if (approve) Object.assign(pi, { status: "succeeded", next_action: null });
      else
        Object.assign(pi, {
          status: "requires_payment_method",
          next_action: null,
          last_payment_error: {
            type: "card_error",
            code: "payment_intent_authentication_failure",
            message: "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
          },
        });
      return pi;
    },
    signedEvent(type, pi, secret) {
      const payload = JSON.stringify({
        id: `evt_fake${++n}`,
        object: "event",
        type,
        api_version: Stripe.API_VERSION,
        created: Math.floor(Date.now() / 1000),
        data: { object: { ...pi } },
      });
      return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
