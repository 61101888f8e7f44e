import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { postAction, serverActions } from "@/tests/helpers/actions";
import { startApp, TEST_SECRETS, type App, RELAXED_LIMITS } from "@/tests/helpers/app";
import { createTestEvent, createUsers, seats, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { card } from "@/tests/helpers/payments";
import { bearerTokens } from "@/tests/helpers/race";
import { CountingProxy, viaProxy, type Tally } from "@/tests/helpers/round-trips";
import { toActor } from "@/lib/auth/users";
import { unlockWithAccessCode } from "@/lib/promo-codes/access";
import { createPromoCode } from "@/lib/promo-codes/manage";
import { createTicketType } from "@/lib/ticket-types/manage";
import { signInCookie } from "@/tests/helpers/sign-in";

// Round-trip budgets of the hot path, held like an invariant: a real `next start` reaches
// PostgreSQL and Redis through counting proxies (tests/helpers/round-trips.ts), and each hold
// and checkout on the usual path (a new reservation; a successful payment with the mock
// provider) must stay within its budget of PostgreSQL and Redis round trips. Connection set-up
// is not counted; everything a request sends is. Today's figures and what each trip is: bench/README.md.

Object.assign(process.env, TEST_SECRETS); // tokens minted here must verify in the app

// A hold: the caller, sale facts and claim in one statement; pass, rate limit and pre-lock in one
// Redis script (docs/architecture.md, "Holding seats"). A checkout: caller and idempotency key,
// start, charge recorded with the booking and its view, the stored answer — 4 — plus the mock
// provider's own ledger row (a real provider is an HTTP call instead); the rate limit in Redis.
// The website's pay action also renders the booking page it redirects to (6 reads).
const BUDGET = {
  restHold: { postgres: 1, redis: 1 },
  // A presale hold (an access code entered before the public sale, docs/promo-codes.md): the
  // one-statement hold refuses (the sale has not started) and the step-by-step path, whose context
  // reads the customer's grants, holds: 3 PostgreSQL (refused statement, context, claim) and 3 Redis
  // (guards, releasing their pre-lock, the step-by-step pre-lock), measured. Only presale holds
  // pay this; the ordinary hold stays 1 + 1.
  restPresaleHold: { postgres: 3, redis: 3 },
  // A hold in a hidden section by a customer whose access code names it (docs/promo-codes.md,
  // "Hidden sections"): the one statement asks for the grant itself, only for a hidden section's
  // seats, so it is an ordinary hold: 1 + 1.
  restHiddenHold: { postgres: 1, redis: 1 },
  websiteHold: { postgres: 1, redis: 1 },
  restCheckout: { postgres: 5, redis: 1 },
  // Ticket types without limits are priced inside the start statement: no trip more. A limited
  // type costs four more (measured): the start statement finds it involved and writes nothing,
  // then a transaction locks the type's row and runs the start again, counting under the lock, so
  // two checkouts racing for the last tickets of a type cannot both count the same ones
  // (docs/box-office.md). Events without limited types never pay it.
  restCheckoutTyped: { postgres: 5, redis: 1 },
  restCheckoutLimitedType: { postgres: 9, redis: 1 },
  // A discount code costs three more: the start runs in a transaction (BEGIN, the lock on the
  // code's row, the start statement, COMMIT) so its uses are counted exactly (docs/promo-codes.md).
  // Checkouts without a code never pay it: their start statement is the same single one.
  restCheckoutPromo: { postgres: 8, redis: 1 },
  websiteCheckout: { postgres: 11, redis: 1 },
};

// Every statement runs prepared (db/prepared.ts): the first time a connection runs one it costs
// an extra round trip (Parse/Describe), once per connection's life. The driver hands statements
// to its connections in turn, so the app here gets a pool of two and enough warm-up runs for
// each statement to have met both: what is measured is the steady state.
const POOL = 2;
const WARM_UP = 4;
const MEASURED = 5;

let pg: CountingProxy & { port: number };
let redis: CountingProxy & { port: number };
let app: App;

beforeAll(async () => {
  const pgUrl = new URL(process.env.DATABASE_URL!);
  const redisUrl = new URL(process.env.REDIS_URL!);
  pg = await CountingProxy.start("postgres", { host: pgUrl.hostname, port: Number(pgUrl.port) });
  redis = await CountingProxy.start("redis", { host: redisUrl.hostname, port: Number(redisUrl.port) });
  app = await startApp({
    env: {
      ...RELAXED_LIMITS,
      DATABASE_URL: viaProxy(process.env.DATABASE_URL!, pg.port),
      REDIS_URL: viaProxy(process.env.REDIS_URL!, redis.port),
      MOCK_PAYMENT_LATENCY_MS: "0",
      DATABASE_POOL_MAX: String(POOL),
    },
  });
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await pg?.close();
  await redis?.close();
});

type Cost = { postgres: Tally; redis: Tally };

async function measure(fn: () => Promise<void>): Promise<Cost> {
  pg.take();
  redis.take();
  await fn();
  return { postgres: pg.take(), redis: redis.take() };
}

/**
 * Runs `op` WARM_UP times unmeasured, then MEASURED times; returns the median run. Caches that
 * refresh on a timer (the waiting room's settings every 2 s, the inventory snapshot) may land in
 * any one run; a change to the usual path shows in every run, so in the median.
 */
async function usual(op: (i: number) => Promise<void>): Promise<{ usual: Cost; all: Cost[] }> {
  for (let i = 0; i < WARM_UP; i++) await op(i);
  const all: Cost[] = [];
  for (let i = WARM_UP; i < WARM_UP + MEASURED; i++) all.push(await measure(() => op(i)));
  const score = (c: Cost) => c.postgres.roundTrips * 100 + c.redis.roundTrips;
  return { usual: [...all].sort((a, b) => score(a) - score(b))[Math.floor(all.length / 2)], all };
}

function report(name: string, r: { usual: Cost; all: Cost[] }) {
  const counts = r.all.map((c) => `${c.postgres.roundTrips}/${c.redis.roundTrips}`).join(" ");
  console.log(
    `[round trips] ${name}: postgres/redis per run ${counts}\n  median run, PostgreSQL:\n    ${r.usual.postgres.messages.join("\n    ")}\n  Redis: ${r.usual.redis.messages.join(", ")}`,
  );
}

function expectWithin(name: string, r: { usual: Cost }, budget: { postgres: number; redis: number }) {
  const explain = `${name}: PostgreSQL ${JSON.stringify(r.usual.postgres.messages, null, 1)}; Redis ${r.usual.redis.messages.join(", ")}`;
  expect(r.usual.postgres.roundTrips, explain).toBeLessThanOrEqual(budget.postgres);
  expect(r.usual.redis.roundTrips, explain).toBeLessThanOrEqual(budget.redis);
}

async function restCall(path: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(app.url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { id: string } & Record<string, unknown> };
}

describe("round trips per operation (usual path)", () => {
  const n = WARM_UP + MEASURED;

  test("REST hold: a new reservation", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 20)] });
    const tokens = await bearerTokens(await createUsers(n));
    const r = await usual(async (i) => {
      const res = await restCall(`/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[2 * i].id, places[2 * i + 1].id] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    });
    report("REST hold", r);
    expectWithin("REST hold", r, BUDGET.restHold);
  });

  test("REST hold in a presale, with an access code", async () => {
    const { event, places, organizer } = await createTestEvent({ sections: [seats(2, 20)], onSale: false });
    const made = await createPromoCode(toActor(organizer), event.id, { code: "EARLY", kind: "ACCESS" });
    if (!made.ok) throw new Error(made.message);
    const users = await createUsers(n);
    for (const u of users) expect((await unlockWithAccessCode(toActor(u), event.id, "early")).ok).toBe(true);
    const tokens = await bearerTokens(users);
    const r = await usual(async (i) => {
      const res = await restCall(`/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[2 * i].id, places[2 * i + 1].id] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    });
    report("REST presale hold", r);
    expectWithin("REST presale hold", r, BUDGET.restPresaleHold);
  });

  test("REST hold in a hidden section, with an access code naming it", async () => {
    const { event, places, organizer, sections } = await createTestEvent({ sections: [seats(1, 4), { ...seats(2, 20, 5000, "Patrons"), hidden: true }] });
    const made = await createPromoCode(toActor(organizer), event.id, { code: "PATRONS", kind: "ACCESS", sectionIds: [sections[1].id] });
    if (!made.ok) throw new Error(made.message);
    const users = await createUsers(n);
    for (const u of users) expect((await unlockWithAccessCode(toActor(u), event.id, "patrons")).ok).toBe(true);
    const tokens = await bearerTokens(users);
    const hidden = places.filter((p) => p.sectionId === sections[1].id);
    const r = await usual(async (i) => {
      const res = await restCall(`/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [hidden[2 * i].id, hidden[2 * i + 1].id] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    });
    report("REST hidden-section hold", r);
    expectWithin("REST hidden-section hold", r, BUDGET.restHiddenHold);
  });

  test("REST hold on an event with a per-customer limit: the count and its lock ride in the same statement", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 20)], maxPerCustomer: 4 });
    const tokens = await bearerTokens(await createUsers(n));
    const r = await usual(async (i) => {
      const res = await restCall(`/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[2 * i].id, places[2 * i + 1].id] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    });
    report("REST hold, per-customer limit", r);
    expectWithin("REST hold, per-customer limit", r, BUDGET.restHold);
  });

  test("website hold: the event page's hold action", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 20)] });
    const users = await createUsers(n);
    const cookies = await Promise.all(users.map((u) => signInCookie(app.url, u.email, TEST_PASSWORD)));
    const action = serverActions().holdSeatsAction.id;
    const r = await usual(async (i) => {
      const res = await postAction(
        app.url,
        action,
        { eventId: event.id, "seatIds[]": [String(places[2 * i].id), String(places[2 * i + 1].id)] },
        {
          cookie: cookies[i],
          path: `/events/${event.id}`,
        },
      );
      expect(res.state?.ok, JSON.stringify(res.state) + res.text.slice(0, 300)).toBe(true);
    });
    report("website hold", r);
    expectWithin("website hold", r, BUDGET.websiteHold);
  });

  test("REST checkout: confirm with the mock provider", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 20)] });
    const tokens = await bearerTokens(await createUsers(n));
    const held: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await restCall(`/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[2 * i].id, places[2 * i + 1].id] });
      expect(res.status).toBe(201);
      held.push(res.body.id);
    }
    const r = await usual(async (i) => {
      const res = await restCall(
        "/api/v1/bookings/confirm",
        tokens[i],
        { reservationId: held[i], payment: { method: "mock", card: card("success") } },
        { "idempotency-key": crypto.randomUUID() },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    });
    report("REST checkout", r);
    expectWithin("REST checkout", r, BUDGET.restCheckout);
  });

  for (const [name, limit, budget] of [
    ["REST checkout: an event with ticket types, a type chosen per place", null, BUDGET.restCheckoutTyped],
    ["REST checkout: a ticket type with a limit", 1000, BUDGET.restCheckoutLimitedType],
  ] as const) {
    test(name, async () => {
      const { event, places, sections, organizer } = await createTestEvent({ sections: [seats(2, 20)] });
      const made = await createTicketType(toActor(organizer), event.id, { name: "Adult", prices: [{ sectionId: sections[0].id, priceMinor: 1000 }] });
      const child = await createTicketType(toActor(organizer), event.id, { name: "Child", limit, prices: [{ sectionId: sections[0].id, priceMinor: 500 }] });
      if (!made.ok || !child.ok) throw new Error("ticket types not created");
      const tokens = await bearerTokens(await createUsers(n));
      const held: string[] = [];
      for (let i = 0; i < n; i++) {
        const res = await restCall(`/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[2 * i].id, places[2 * i + 1].id] });
        expect(res.status).toBe(201);
        held.push(res.body.id);
      }
      const r = await usual(async (i) => {
        const res = await restCall(
          "/api/v1/bookings/confirm",
          tokens[i],
          {
            reservationId: held[i],
            payment: { method: "mock", card: card("success") },
            ticketTypes: [
              { inventoryId: places[2 * i].id, ticketTypeId: made.ticketType.id },
              { inventoryId: places[2 * i + 1].id, ticketTypeId: child.ticketType.id },
            ],
          },
          { "idempotency-key": crypto.randomUUID() },
        );
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body.amountMinor).toBe(1500);
      });
      report(name, r);
      expectWithin(name, r, budget);
    });
  }

  test("REST checkout with a discount code", async () => {
    const { event, places, organizer } = await createTestEvent({ sections: [seats(2, 20)] });
    const made = await createPromoCode(toActor(organizer), event.id, { code: "TRIPS", kind: "PERCENT", amount: 10, maxUses: 1000 });
    if (!made.ok) throw new Error(made.message);
    const tokens = await bearerTokens(await createUsers(n));
    const held: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await restCall(`/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[i].id] });
      expect(res.status).toBe(201);
      held.push(res.body.id);
    }
    const r = await usual(async (i) => {
      const res = await restCall(
        "/api/v1/bookings/confirm",
        tokens[i],
        { reservationId: held[i], payment: { method: "mock", card: card("success") }, promoCode: "trips" },
        { "idempotency-key": crypto.randomUUID() },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.amountMinor).toBe(900);
    });
    report("REST checkout with a discount code", r);
    expectWithin("REST checkout with a discount code", r, BUDGET.restCheckoutPromo);
  });

  test("website checkout: the checkout page's pay action", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 20)] });
    const users = await createUsers(n);
    const cookies = await Promise.all(users.map((u) => signInCookie(app.url, u.email, TEST_PASSWORD)));
    const tokens = await bearerTokens(users);
    const held: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await restCall(`/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[2 * i].id, places[2 * i + 1].id] });
      expect(res.status).toBe(201);
      held.push(res.body.id);
    }
    const action = serverActions().payAction.id;
    const c = card("success");
    const r = await usual(async (i) => {
      const res = await postAction(
        app.url,
        action,
        {
          reservationId: held[i],
          idempotencyKey: crypto.randomUUID(),
          method: "mock",
          cardNumber: c.number,
          cardExpiry: `${c.expMonth}/${c.expYear}`,
          cardCvc: c.cvc,
        },
        { cookie: cookies[i], path: `/checkout/${held[i]}` },
      );
      expect(res.redirect, JSON.stringify(res.state) + res.text.slice(0, 300)).toContain("/bookings/");
    });
    report("website checkout", r);
    expectWithin("website checkout", r, BUDGET.websiteCheckout);
  });
});
