import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import type { User } from "@/db/schema";
import { startApp, type App, shareAppSecrets } from "@/tests/helpers/app";
import { checkoutsOf, reservationStatus, waitUntilDbTime } from "@/tests/helpers/db-state";
import { createTestEvent, createUsers, seats } from "@/tests/helpers/fixtures";
import { call, type Answer } from "@/tests/helpers/http";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { card } from "@/tests/helpers/payments";
import { bearerTokens } from "@/tests/helpers/race";
import type { Booking, OrProblem, Reservation, TickResult } from "@/tests/helpers/responses";
import { eventually } from "@/tests/helpers/wait";

// App processes killed with SIGKILL in the middle of a checkout (GUIDE I3, I4). The
// X-Tessera-Fault header (test builds only) makes the process kill itself at a saga step; the
// customer's client sees the connection die and retries with the same Idempotency-Key on
// ANOTHER process, which waits out the dead request's lease and answers. The sweep runs through
// the surviving process's cron route, as in production. (The checkout suite already covers a
// kill between charge and booking finished by the sweep before the retry; these are the rest.)

shareAppSecrets();

const ENV = { TESSERA_TEST_FAULTS: "1", PAYMENT_TIMEOUT_MS: "1000", RATE_LIMIT_RESERVATION: "1000/60", RATE_LIMIT_CONFIRM: "1000/60" };
let survivor: App;

beforeAll(async () => {
  survivor = await startApp({ env: ENV });
});
afterAll(async () => {
  await survivor?.stop();
});

type Buyer = { user: User; token: string };
async function buyers(n: number): Promise<Buyer[]> {
  const users = await createUsers(n);
  const tokens = await bearerTokens(users);
  return users.map((user, i) => ({ user, token: tokens[i] }));
}

const holdOn = (app: App, b: Buyer, eventId: string, seatId: number) =>
  call<OrProblem<Reservation>>(`${app.url}/api/v1/events/${eventId}/reservations`, { token: b.token, json: { seatIds: [seatId] } });
const payOn = (app: App, b: Buyer, reservationId: string, key: string, fault?: string) =>
  call<OrProblem<Booking>>(`${app.url}/api/v1/bookings/confirm`, {
    token: b.token,
    json: { reservationId, payment: { method: "mock", card: card() } },
    headers: { "idempotency-key": key, ...(fault ? { "x-tessera-fault": fault } : {}) },
    timeoutMs: 30_000,
  });

async function killedWhilePaying(victim: App, pay: () => Promise<Answer<unknown>>) {
  const exited = new Promise((r) => victim.child.once("exit", r));
  const answer = await pay();
  expect(answer.status, "the dying process must not answer").toBe(0);
  await exited;
  expect(victim.child.signalCode).toBe("SIGKILL");
}

async function sweep() {
  const tick = await call<TickResult>(`${survivor.url}/api/cron/tick`, { headers: { authorization: `Bearer ${process.env.CRON_SECRET}` } });
  expect(tick.status, tick.text).toBe(200);
  return tick.body.steps.find((s) => s.name === "sweepStuckCheckouts")!.result;
}

async function deadlineOf(checkoutId: string) {
  const [d] = await db().execute<{ deadline: string }>(sql`SELECT deadline::text FROM checkouts WHERE id = ${checkoutId}`);
  return d.deadline;
}

describe("SIGKILL mid-checkout, retry on another process", () => {
  it("killed after the booking committed, before answering: the retry gets that booking, byte for byte afterwards", async () => {
    const victim = await startApp({ env: ENV });
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 1700)] });
    const [b] = await buyers(1);
    const r = await holdOn(victim, b, event.id, places[0].id);
    const key = crypto.randomUUID();
    await killedWhilePaying(victim, () => payOn(victim, b, r.body.id, key, "crash-after-booking"));
    const [c] = await checkoutsOf(r.body.id);
    expect(c.state).toBe("BOOKED");

    const retry = await payOn(survivor, b, r.body.id, key); // waits out the dead request's lease
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body.id).toBe(c.booking_id);
    const again = await payOn(survivor, b, r.body.id, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.text).toBe(retry.text);
    expect(await sweep()).toMatchObject({ failed: 0 });
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("killed after the charge, retried before any sweep: the retry resumes the same charge and books once", async () => {
    const victim = await startApp({ env: ENV });
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 1900)] });
    const [b] = await buyers(1);
    const r = await holdOn(survivor, b, event.id, places[1].id);
    const key = crypto.randomUUID();
    await killedWhilePaying(victim, () => payOn(victim, b, r.body.id, key, "crash-after-charge"));
    const [c0] = await checkoutsOf(r.body.id);
    expect(c0.state).toBe("STARTED"); // charged at the provider, nothing recorded
    expect(await ledger(event.id)).toMatchObject({ charges: 1 });

    const retry = await payOn(survivor, b, r.body.id, key);
    expect(retry.status, retry.text).toBe(201);
    const [c1] = await checkoutsOf(r.body.id);
    expect(c1).toMatchObject({ id: c0.id, state: "BOOKED", booking_id: retry.body.id });
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 }); // the same charge, not a second one
    await waitUntilDbTime(await deadlineOf(c0.id));
    expect(await sweep()).toMatchObject({ failed: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("killed after the charge, and the seat sold to someone else meanwhile: the sweep refunds, the retry says so", async () => {
    const victim = await startApp({ env: ENV });
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 2100)], holdSeconds: 2 });
    const [b, rival] = await buyers(2);
    const r = await holdOn(victim, b, event.id, places[2].id);
    const key = crypto.randomUUID();
    await killedWhilePaying(victim, () => payOn(victim, b, r.body.id, key, "crash-after-charge"));
    const [c0] = await checkoutsOf(r.body.id);
    // The hold and the payment window both end; the seat is free again by the database clock.
    await waitUntilDbTime(r.body.expiresAt, 100);
    await waitUntilDbTime(await deadlineOf(c0.id), 100);
    const rh = await eventually(
      "the rival gets the seat",
      async () => {
        const a = await holdOn(survivor, rival, event.id, places[2].id);
        return a.status === 201 ? a : null;
      },
      10_000,
      250,
    );
    expect((await payOn(survivor, rival, rh.body.id, crypto.randomUUID())).status).toBe(201);

    const report = await sweep();
    expect(report).toMatchObject({ refunded: 1, failed: 0 });
    const [c1] = await checkoutsOf(r.body.id);
    expect(c1).toMatchObject({ state: "REFUNDED", failure_code: "seats_taken" });
    expect(await reservationStatus(r.body.id)).toBe("FAILED");

    const retry = await payOn(survivor, b, r.body.id, key);
    expect(retry.status, retry.text).toBe(409);
    expect(retry.body).toMatchObject({ code: "hold_expired", refunded: true, amountMinor: 2100 });
    expect(retry.body.detail).toMatch(/refunded the full/);
    expect(await ledger(event.id)).toMatchObject({ charges: 2, refunds: 1 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("killed while the provider was still charging: the sweep voids the key, nothing is charged, the retry says so", async () => {
    const victim = await startApp({ env: { ...ENV, MOCK_PAYMENT_LATENCY_MS: "3000", PAYMENT_TIMEOUT_MS: "4000" } });
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 2300)] });
    const [b] = await buyers(1);
    const r = await holdOn(survivor, b, event.id, places[3].id);
    const key = crypto.randomUUID();
    const exited = new Promise((res) => victim.child.once("exit", res));
    const pending = payOn(victim, b, r.body.id, key);
    const c0 = await eventually("checkout started", async () => (await checkoutsOf(r.body.id))[0]);
    victim.child.kill("SIGKILL");
    await exited;
    expect((await pending).status).toBe(0);
    expect(c0.state).toBe("STARTED");

    // The survivor's own lease (PAYMENT_TIMEOUT_MS=1000) is shorter; the dead one's deadline decides.
    await waitUntilDbTime(await deadlineOf(c0.id), 100);
    expect(await sweep()).toMatchObject({ released: 1, failed: 0 });
    const [c1] = await checkoutsOf(r.body.id);
    expect(c1).toMatchObject({ state: "DECLINED", failure_code: "payment_canceled" });
    expect(await reservationStatus(r.body.id)).toBe("ACTIVE"); // the seats stay held: pay again

    const retry = await eventually(
      "the dead request's lease ends",
      async () => {
        const a = await payOn(survivor, b, r.body.id, key);
        return a.status === 409 && a.body.code === "idempotency_in_flight" ? null : a;
      },
      30_000,
      500,
    );
    expect(retry.status, retry.text).toBe(402);
    expect(retry.body.detail).toMatch(/did not complete\. Nothing was charged/);
    const fresh = await payOn(survivor, b, r.body.id, crypto.randomUUID());
    expect(fresh.status, fresh.text).toBe(201);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    const [voided] = await db().execute<{ outcome: string }>(sql`SELECT outcome FROM mock_ledger WHERE idempotency_key = ${c0.provider_key}`);
    expect(voided.outcome).toBe("canceled");
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });
});
