import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // Same secrets and timeouts in this test process and in the `next start` processes.
  process.env.AUTH_SECRET = "test-auth-secret-0123456789abcdef0123456789";
  process.env.PAYMENT_TIMEOUT_MS = "1000";
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_test_checkout_rest";
});

import Stripe from "stripe";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { User } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/tokens";
import { toActor } from "@/lib/auth/users";
import { sweepStuckCheckouts } from "@/lib/checkout";
import { startApp, TEST_SECRETS, type App } from "@/tests/helpers/app";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { card, newKey } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { checkoutsOf, waitUntilDbTime } from "@/tests/helpers/db-state";

const APP_ENV = {
  RATE_LIMIT_CONFIRM: "1000/60",
  TESSERA_TEST_FAULTS: "1",
  PAYMENT_TIMEOUT_MS: "1000",
  STRIPE_WEBHOOK_SECRET: "whsec_test_checkout_rest",
};

let app: App;

async function token(u: User) {
  return (await issueApiToken({ id: u.id, role: u.role, sessionVersion: u.sessionVersion })).token;
}

async function confirm(base: string, auth: string | null, body: unknown, key: string | null, extra: Record<string, string> = {}) {
  return fetch(`${base}/api/v1/bookings/confirm`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(key ? { "idempotency-key": key } : {}), ...extra },
    body: JSON.stringify(body),
  });
}

async function customerWithHold(price = 1800) {
  const { event, places } = await createTestEvent({ sections: [seats(1, 6, price)] });
  const user = await createUser();
  const res = await hold(toActor(user), event.id, { seatIds: [places[0].id, places[1].id] });
  return { event, places, user, auth: await token(user), res };
}

describe("REST checkout against next start", () => {
  beforeAll(async () => {
    expect(process.env.AUTH_SECRET).toBe(TEST_SECRETS.AUTH_SECRET);
    app = await startApp({ env: APP_ENV });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("refuses anonymous callers, a missing key and bad bodies, all as problem+json", async () => {
    const { auth, res } = await customerWithHold();
    const body = { reservationId: res.id, payment: { method: "mock", card: card() } };
    expect((await confirm(app.url, null, body, newKey())).status).toBe(401);
    const noKey = await confirm(app.url, auth, body, null);
    expect(noKey.status).toBe(400);
    expect(noKey.headers.get("content-type")).toContain("application/problem+json");
    expect(await noKey.json()).toMatchObject({ code: "idempotency_key_missing" });
    const bad = await confirm(app.url, auth, { reservationId: res.id, payment: { method: "mock", card: { ...card(), number: "4242424242424241" } } }, newKey());
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields).toHaveProperty(["payment.card.number"]);
    const extra = await confirm(app.url, auth, { ...body, amountMinor: 1 }, newKey());
    expect(extra.status).toBe(400);
  });

  it("201 with the booking; a replay is the same bytes with Idempotent-Replayed; another body with the key is 422", async () => {
    const { event, auth, res } = await customerWithHold();
    const key = newKey();
    const body = { reservationId: res.id, payment: { method: "mock", card: card() } };
    const first = await confirm(app.url, auth, body, key);
    const firstText = await first.text();
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const booking = JSON.parse(firstText);
    expect(first.headers.get("location")).toBe(`/api/v1/bookings/reference/${booking.reference}`);
    expect(booking).toMatchObject({ amountMinor: 3600, status: "CONFIRMED", eventId: event.id });

    const replay = await confirm(app.url, auth, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.text()).toBe(firstText);

    const reused = await confirm(app.url, auth, { ...body, payment: { method: "mock", card: card("decline") } }, key);
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: "idempotency_key_reused" });
    expect(await ledger(event.id)).toMatchObject({ charges: 1 });
  });

  it("a decline is 402 and replays byte for byte; parallel duplicates all get the same answer", async () => {
    const { event, auth, res } = await customerWithHold();
    const declineKey = newKey();
    const declined = { reservationId: res.id, payment: { method: "mock", card: card("decline") } };
    const d1 = await confirm(app.url, auth, declined, declineKey);
    const d1Text = await d1.text();
    expect(d1.status).toBe(402);
    expect(JSON.parse(d1Text)).toMatchObject({ code: "payment_declined", declineCode: "card_declined" });
    const d2 = await confirm(app.url, auth, declined, declineKey);
    expect(d2.status).toBe(402);
    expect(d2.headers.get("idempotent-replayed")).toBe("true");
    expect(await d2.text()).toBe(d1Text);

    const key = newKey();
    const body = { reservationId: res.id, payment: { method: "mock", card: card() } };
    const all = await Promise.all(Array.from({ length: 10 }, () => confirm(app.url, auth, body, key)));
    const texts = await Promise.all(all.map((r) => r.text()));
    expect(all.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(texts).size).toBe(1);
    expect(all.filter((r) => r.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    expect(await ledger(event.id)).toMatchObject({ charges: 1 });
    await expectLedgerBalanced(event.id);
  });

  it("bookings, tickets and reservations of others answer 404", async () => {
    const { auth, res, user } = await customerWithHold();
    const ok = await confirm(app.url, auth, { reservationId: res.id, payment: { method: "mock", card: card() } }, newKey());
    const booking = await ok.json();
    const stranger = await createUser();
    const strangerAuth = await token(stranger);
    const get = (path: string, a: string) => fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${a}` } });

    const mine = await get(`/api/v1/bookings/reference/${booking.reference.toLowerCase()}`, auth);
    expect(mine.status).toBe(200);
    expect((await mine.json()).id).toBe(booking.id);
    const theirs = await get(`/api/v1/bookings/reference/${booking.reference}`, strangerAuth);
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toMatchObject({ code: "not_found" });

    const qrPath = `/api/v1/bookings/reference/${booking.reference}/tickets/${booking.tickets[0].id}/qr`;
    const qr = await get(qrPath, auth);
    expect(qr.status).toBe(200);
    expect(qr.headers.get("content-type")).toBe("image/svg+xml");
    expect(await qr.text()).toMatch(/^<svg/);
    expect((await get(qrPath, strangerAuth)).status).toBe(404);

    const me = await (await get(`/api/v1/bookings/me?when=upcoming`, auth)).json();
    expect(me.items.map((b: { id: string }) => b.id)).toEqual([booking.id]);
    expect((await (await get(`/api/v1/bookings/me`, strangerAuth)).json()).items).toEqual([]);
    expect((await get(`/api/v1/bookings/me?when=tomorrow`, auth)).status).toBe(400);

    // Paying for someone else's reservation: 404, nothing charged.
    const other = await customerWithHold();
    const steal = await confirm(app.url, strangerAuth, { reservationId: other.res.id, payment: { method: "mock", card: card() } }, newKey());
    expect(steal.status).toBe(404);
    expect(await checkoutsOf(other.res.id)).toHaveLength(0);
    expect(user.id).not.toBe(stranger.id);
  });

  it("the Stripe webhook refuses unsigned or mis-signed bodies", async () => {
    const payload = JSON.stringify({
      id: "evt_1",
      object: "event",
      type: "payment_intent.succeeded",
      data: { object: { id: "pi_1", object: "payment_intent" } },
    });
    const post = (sig: string | null) =>
      fetch(`${app.url}/api/webhooks/stripe`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(sig ? { "stripe-signature": sig } : {}) },
        body: payload,
      });
    expect((await post(null)).status).toBe(400);
    expect((await post(Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_wrong" }))).status).toBe(400);
    const good = await post(Stripe.webhooks.generateTestHeaderString({ payload, secret: APP_ENV.STRIPE_WEBHOOK_SECRET }));
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ received: true, handled: false }); // not one of our checkouts
  });

  it("a process killed (SIGKILL) between charge and booking: the sweep books, the retry on another process gets the booking", async () => {
    const victim = await startApp({ env: APP_ENV });
    const { event, auth, res } = await customerWithHold(2200);
    const key = newKey();
    const body = { reservationId: res.id, payment: { method: "mock", card: card() } };
    await expect(confirm(victim.url, auth, body, key, { "x-tessera-fault": "crash-after-charge" })).rejects.toThrow();
    await new Promise((r) => victim.child.once("exit", r));
    expect(victim.child.signalCode).toBe("SIGKILL");
    const [c0] = await checkoutsOf(res.id);
    expect(c0.state).toBe("STARTED");
    expect(await ledger(event.id)).toMatchObject({ charges: 1 });

    const [d] = await db().execute<{ deadline: string }>(sql`SELECT deadline::text FROM checkouts WHERE id = ${c0.id}`);
    await waitUntilDbTime(d.deadline);
    await sweepStuckCheckouts();
    const [c1] = await checkoutsOf(res.id);
    expect(c1.state).toBe("BOOKED");

    const retry = await confirm(app.url, auth, body, key); // waits out the dead request's lease, then answers
    expect(retry.status).toBe(201);
    expect((await retry.json()).id).toBe(c1.booking_id);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });
});
