import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { startApp, type App, shareAppSecrets } from "@/tests/helpers/app";
import { createTestEvent, createUsers, seats } from "@/tests/helpers/fixtures";
import { call, type Answer } from "@/tests/helpers/http";
import { bookedTotal, expectIntegrity, ledger } from "@/tests/helpers/integrity";
import { card } from "@/tests/helpers/payments";
import { startPrivatePostgres, type PrivatePostgres } from "@/tests/helpers/private-postgres";
import { bearerTokens } from "@/tests/helpers/race";
import type { OrProblem } from "@/tests/helpers/responses";
import { eventually, sleep } from "@/tests/helpers/wait";

// PostgreSQL restarted in the middle of a sale. This file runs against a PRIVATE embedded
// PostgreSQL (persistent, so its data survives the restart); the shared test database is never
// touched. Two app processes sell 30 seats to 45 customers who behave like good clients: on a
// 503 they wait and retry, paying with the same Idempotency-Key. The database is stopped (fast
// shutdown: sessions are terminated) while purchases are in flight and started again 4 s later.
// While it is away every request must be answered quickly with 503 problem+json and a clear
// message; when it is back the apps must recover on their own; and afterwards the provider's
// books (mock_ledger) must match the bookings exactly: no charge lost, none taken twice.

shareAppSecrets();

const SEATS = 30;
const CUSTOMERS = 45;
const PRICE = 2500;
const OUTAGE_MS = 4000;

let pg: PrivatePostgres;
let apps: App[];

beforeAll(async () => {
  pg = await startPrivatePostgres();
  process.env.DATABASE_URL = pg.url; // this file's fixtures, checks and apps all use the private database
  const env = { DATABASE_URL: pg.url, PAYMENT_TIMEOUT_MS: "2000", RATE_LIMIT_RESERVATION: "1000/60", RATE_LIMIT_CONFIRM: "1000/60" };
  apps = await Promise.all([startApp({ env }), startApp({ env })]);
});
afterAll(async () => {
  await Promise.all((apps ?? []).map((a) => a.stop()));
  await pg?.close();
});

/** What this test reads of a hold or a booking: its id, or the problem. */
type Made = Answer<OrProblem<{ id: string }>>;
type Shot = Made & { at: number; step: "hold" | "pay" };
type Outcome = { kind: "booked"; bookingId: string; reservationId: string } | { kind: "refused" } | { kind: "gave_up"; last: Made };

describe("PostgreSQL restarted mid-sale", () => {
  it("answers 503 fast while it is away, recovers by itself, and loses or duplicates no booking or charge", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(3, 10, PRICE)] });
    const tokens = await bearerTokens(await createUsers(CUSTOMERS));
    const shots: Shot[] = [];
    const t0 = performance.now();
    const record = (a: Made, step: Shot["step"], startedAt: number) => {
      shots.push({ ...a, step, at: startedAt });
      return a;
    };

    // A good client: retries 503s and unanswered requests, pays with one Idempotency-Key throughout.
    async function customer(i: number): Promise<Outcome> {
      const app = apps[i % 2];
      const key = crypto.randomUUID();
      const giveUpAt = performance.now() + 90_000;
      let reservationId: string | null = null;
      let last!: Made;
      while (performance.now() < giveUpAt) {
        const at = performance.now() - t0;
        if (!reservationId) {
          last = record(
            await call<OrProblem<{ id: string }>>(`${app.url}/api/v1/events/${event.id}/reservations`, {
              token: tokens[i],
              json: { seatIds: [places[i % SEATS].id] },
              timeoutMs: 20_000,
            }),
            "hold",
            at,
          );
          if (last.status === 201) reservationId = last.body.id;
          else if (last.status === 409 && last.body.code === "seat_taken") return { kind: "refused" };
          else await sleep(250);
          continue;
        }
        last = record(
          await call<OrProblem<{ id: string }>>(`${app.url}/api/v1/bookings/confirm`, {
            token: tokens[i],
            json: { reservationId, payment: { method: "mock", card: card() } },
            headers: { "idempotency-key": key },
            timeoutMs: 20_000,
          }),
          "pay",
          at,
        );
        if (last.status === 201) return { kind: "booked", bookingId: last.body.id, reservationId };
        await sleep(250);
      }
      return { kind: "gave_up", last };
    }

    let done = 0;
    let next = 0;
    const outcomes: Outcome[] = [];
    const sale = Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < CUSTOMERS) {
          outcomes.push(await customer(next++));
          done++;
        }
      }),
    );

    await eventually("a third sold", async () => done >= 12, 60_000, 20);
    await pg.stop();
    const downFrom = performance.now() - t0;
    await sleep(800);
    const health = await call(`${apps[0].url}/api/v1/health`, { timeoutMs: 10_000 });
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: "down", database: { status: "down" } });
    await sleep(OUTAGE_MS - 800);
    const downUntil = performance.now() - t0;
    await pg.start();
    const upAt = performance.now() - t0;
    await sale;
    const saleMs = performance.now() - t0;

    // Every request was answered: never a 500, never an unanswered one.
    const statuses = new Set(shots.map((s) => s.status));
    const appErrors = () =>
      apps
        .flatMap((a) => a.output().split("\n"))
        .filter((l) => l.includes('"level":"error"') && !l.includes('"db.unavailable"'))
        .slice(0, 5)
        .join("\n");
    expect(
      [...statuses].filter((s) => ![201, 409, 503].includes(s)),
      `${JSON.stringify(shots.filter((s) => ![201, 409, 503].includes(s.status)).slice(0, 3))}\napp errors:\n${appErrors()}`,
    ).toEqual([]);
    // While the database was away: fast 503 problem+json with a clear message and Retry-After.
    // Judged on requests answered before the restart began: one sent just before it may still be
    // connecting when the database is back, and then it is served (a 201 is right for it).
    const during = shots.filter((s) => s.at > downFrom + 200 && s.at + s.ms < downUntil);
    expect(during.length).toBeGreaterThan(10);
    for (const s of during) {
      expect(
        s.status,
        `${s.step} at ${Math.round(s.at)} ms took ${Math.round(s.ms)} ms (down ${Math.round(downFrom)}..${Math.round(downUntil)}, up ${Math.round(upAt)}): ${s.text}`,
      ).toBe(503);
      expect(s.contentType).toContain("application/problem+json");
      expect(s.body).toMatchObject({ code: "service_unavailable", status: 503 });
      expect(s.body.detail).toMatch(/briefly unavailable/i);
      expect(s.headers.get("retry-after")).toBeTruthy();
    }
    const unavailable = shots.filter((s) => s.status === 503);
    const slowest = unavailable.reduce((a, b) => (b.ms > a.ms ? b : a));
    const slowest503 = slowest.ms;
    expect(slowest503, "no request may hang while the database is away").toBeLessThan(5000);
    // Recovered by themselves: both instances sold after the restart.
    const after = shots.filter((s) => s.at > upAt && s.status === 201);
    expect(after.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.kind === "gave_up")).toEqual([]);

    // Nothing lost, nothing twice: the provider's books against the bookings.
    const booked = outcomes.filter((o): o is Extract<Outcome, { kind: "booked" }> => o.kind === "booked");
    expect(booked).toHaveLength(SEATS);
    const confirmed = await db().execute<{ id: string }>(sql`SELECT id FROM bookings WHERE event_id = ${event.id} AND status = 'CONFIRMED' ORDER BY id`);
    expect(confirmed.map((b) => b.id)).toEqual(booked.map((b) => b.bookingId).sort());
    const [open] = await db().execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM checkouts WHERE event_id = ${event.id} AND state IN ('STARTED', 'CHARGED')`,
    );
    expect(open.n).toBe(0);
    const l = await ledger(event.id);
    expect(l.charged - l.refunded).toBe(await bookedTotal(event.id));
    expect(l.charges - l.refunds).toBe(SEATS);
    // The whole private ledger: no charge without a checkout, none taken twice for one key.
    const [orphans] = await db().execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM mock_ledger l WHERE l.kind = 'CHARGE' AND l.outcome = 'succeeded'
        AND NOT EXISTS (SELECT 1 FROM checkouts c WHERE c.provider_key = l.idempotency_key)`);
    expect(orphans.n).toBe(0);
    await expectIntegrity();
    console.log(
      `PG_RESTART ${JSON.stringify({ requests: shots.length, unavailable: unavailable.length, slowest503Ms: Math.round(slowest503), slowest503: `${slowest.step} sent ${Math.round(slowest.at - downFrom)} ms after the stop`, outageMs: Math.round(downUntil - downFrom), saleMs: Math.round(saleMs), booked: booked.length, charges: l.charges, refunds: l.refunds, integrity: "clean" })}`,
    );
  });
});
