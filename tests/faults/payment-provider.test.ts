import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { mockProvider } from "@/lib/payments/mock";
import { startApp, type App, shareAppSecrets } from "@/tests/helpers/app";
import { checkoutsOf, waitUntilDbTime } from "@/tests/helpers/db-state";
import { createTestEvent, createUsers, seats } from "@/tests/helpers/fixtures";
import { call } from "@/tests/helpers/http";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { card } from "@/tests/helpers/payments";
import { bearerTokens } from "@/tests/helpers/race";
import type { Reservation } from "@/tests/helpers/responses";
import { sleep } from "@/tests/helpers/wait";

// The payment provider misbehaving, seen through two real app processes: slower than our
// timeout, failing intermittently, and answering the same key twice. Money must move at most
// once per checkout, and every customer must get an answer that says what happened.

shareAppSecrets();

const TIMEOUT_MS = 1000;
const ENV = { PAYMENT_TIMEOUT_MS: String(TIMEOUT_MS), RATE_LIMIT_RESERVATION: "1000/60", RATE_LIMIT_CONFIRM: "1000/60" };
let a: App;
let b: App;

beforeAll(async () => {
  [a, b] = await Promise.all([startApp({ env: ENV }), startApp({ env: ENV })]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

async function customer(price: number) {
  const { event, places } = await createTestEvent({ sections: [seats(1, 4, price)] });
  const [user] = await createUsers(1);
  const [token] = await bearerTokens([user]);
  const hold = await call<Reservation>(`${a.url}/api/v1/events/${event.id}/reservations`, { token, json: { seatIds: [places[0].id] } });
  expect(hold.status).toBe(201);
  const pay = (app: App, key: string, kind: Parameters<typeof card>[0] = "success") =>
    call(`${app.url}/api/v1/bookings/confirm`, {
      token,
      json: { reservationId: hold.body.id, payment: { method: "mock", card: card(kind) } },
      headers: { "idempotency-key": key },
    });
  return { event, reservationId: hold.body.id, pay };
}

const sweep = (app: App) => call(`${app.url}/api/cron/tick`, { headers: { authorization: `Bearer ${process.env.CRON_SECRET}` } });

describe("payment provider faults", () => {
  it("slow (over the timeout): 504 without charging twice; the sweep settles it; the retry tells the truth", async () => {
    const c = await customer(1300);
    const key = crypto.randomUUID();
    const first = await c.pay(a, key, "slow");
    expect(first.status, first.text).toBe(504);
    expect(first.body).toMatchObject({ code: "payment_timeout" });
    expect(first.body.detail).toMatch(/Do not pay again/);
    expect(first.headers.get("retry-after")).toBe("5");
    expect(first.ms).toBeLessThan(TIMEOUT_MS + 3000);
    // A second card for the same reservation meanwhile is refused: one payment at a time.
    const other = await c.pay(b, crypto.randomUUID());
    expect(other.status).toBe(409);
    expect(other.body.code).toBe("reservation_locked");

    // The dead-slow charge lands (or is voided) only once; after the payment window the sweep
    // asks the provider by key and either books it or voids the key so it can never land.
    const [ck] = await checkoutsOf(c.reservationId);
    const [d] = await db().execute<{ deadline: string }>(sql`SELECT deadline::text FROM checkouts WHERE id = ${ck.id}`);
    await waitUntilDbTime(d.deadline, 50);
    expect((await sweep(b)).status).toBe(200);
    await sleep(3 * TIMEOUT_MS + 500); // every slow charge still in flight has finished by now
    const [row] = await db().execute<{ outcome: string }>(sql`SELECT outcome FROM mock_ledger WHERE idempotency_key = ${ck.provider_key}`);
    const retry = await c.pay(b, key, "slow");
    if (row.outcome === "canceled") {
      expect(retry.status, retry.text).toBe(402);
      expect(retry.body.detail).toMatch(/Nothing was charged/);
      expect(await ledger(c.event.id)).toMatchObject({ charges: 0 });
    } else {
      expect(row.outcome).toBe("succeeded");
      expect(retry.status, retry.text).toBe(201);
      expect(await ledger(c.event.id)).toMatchObject({ charges: 1, refunds: 0 });
    }
    console.log(`SLOW_PROVIDER ${JSON.stringify({ firstMs: Math.round(first.ms), settledAs: row.outcome, retry: retry.status })}`);
    await expectLedgerBalanced(c.event.id);
    await expectIntegrity(c.event.id);
  });

  it("failing intermittently: 502 and nothing charged; the retry with the same key (on either process) charges once", async () => {
    const c = await customer(1500);
    const key = crypto.randomUUID();
    const first = await c.pay(a, key, "flaky");
    expect(first.status, first.text).toBe(502);
    expect(first.body).toMatchObject({ code: "payment_unavailable" });
    expect(first.body.detail).toMatch(/will not be charged twice/);
    expect(await ledger(c.event.id)).toMatchObject({ charges: 0 });
    const second = await c.pay(b, key, "flaky"); // process b's first attempt fails as well
    expect(second.status).toBe(502);
    const third = await c.pay(a, key, "flaky");
    expect(third.status, third.text).toBe(201);
    const replay = await c.pay(b, key, "flaky");
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(third.text);
    expect(await checkoutsOf(c.reservationId)).toHaveLength(1);
    expect(await ledger(c.event.id)).toMatchObject({ charges: 1, refunds: 0 });
    await expectLedgerBalanced(c.event.id);
    await expectIntegrity(c.event.id);
  });

  it("duplicates: one key sent to both processes at once, and two keys for one reservation, charge once", async () => {
    const c = await customer(1600);
    const key = crypto.randomUUID();
    const same = await Promise.all([c.pay(a, key), c.pay(b, key), c.pay(a, key), c.pay(b, key)]);
    expect(same.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(same.map((r) => r.text)).size).toBe(1);
    expect(same.filter((r) => r.headers.get("idempotent-replayed") === null)).toHaveLength(1);

    const d = await customer(1600);
    const twoTabs = await Promise.all([d.pay(a, crypto.randomUUID()), d.pay(b, crypto.randomUUID())]);
    const statuses = twoTabs.map((r) => r.status).sort();
    expect(statuses[0]).toBe(201);
    expect(statuses[1]).toBe(409); // reservation_locked (still paying) or reservation_closed (already booked)
    expect(["reservation_locked", "reservation_closed"]).toContain(twoTabs.find((r) => r.status === 409)!.body.code);

    // The provider itself answering one key twice gives the same charge, not a second one.
    const again = await mockProvider.charge({
      key: (await checkoutsOf(c.reservationId))[0].provider_key,
      checkoutId: "x",
      amountMinor: 1600,
      currency: "EUR",
      source: { method: "mock", card: card() },
      description: "duplicate",
    });
    const [stored] = await db().execute<{ charge_id: string; n: number }>(sql`
      SELECT min(charge_id) AS charge_id, count(*)::int AS n FROM mock_ledger WHERE idempotency_key = ${(await checkoutsOf(c.reservationId))[0].provider_key}`);
    expect(again).toEqual({ status: "succeeded", chargeId: stored.charge_id });
    expect(stored.n).toBe(1);

    for (const x of [c, d]) {
      expect(await ledger(x.event.id)).toMatchObject({ charges: 1, refunds: 0 });
      await expectLedgerBalanced(x.event.id);
      await expectIntegrity(x.event.id);
    }
  });
});
