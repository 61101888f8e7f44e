import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { shareAppSecrets, startApp, type App } from "@/tests/helpers/app";
import { createTestEvent, createUsers, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { bearerTokens, fireAll, post, report, statusCounts, type Shot } from "@/tests/helpers/race";
import type { OrProblem, Reservation } from "@/tests/helpers/responses";

// The general-admission race over HTTP against a real `next start` process (each request on its
// own connection), real Postgres and real Redis: exact outcomes, then the invariants in SQL.
// (Apart from holds-race.test.ts: GA places are claimed in PostgreSQL without a Redis pre-lock,
// so this one does not need to run again against a Redis Cluster.)

shareAppSecrets();

// ~20 s on a quiet 2-core machine; generous so a machine shared with parallel suites slows it
// down without failing it.
const RACE_TIMEOUT = 300_000;

let app: App;

beforeAll(async () => {
  app = await startApp();
  // Warm the route, the connection pools and the JIT so the race measures steady state.
  const { event, places } = await createTestEvent({ sections: [seats(2, 25)] });
  const tokens = await bearerTokens(await createUsers(50));
  await fireAll(50, (i) => post(`${app.url}/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[i].id] }));
});

afterAll(async () => {
  await app?.stop();
});

const holdUrl = (eventId: string) => `${app.url}/api/v1/events/${eventId}/reservations`;

describe("racing for general admission over HTTP", () => {
  it(
    "2,000 parallel GA requests of 1–4 against 1,000 places: exactly 1,000 held, never more",
    async () => {
      const { event, sections } = await createTestEvent({ sections: [ga(1000, 1500)] });
      const sectionId = sections[0].id;
      const tokens = await bearerTokens(await createUsers(2000));
      const attempts: Shot<OrProblem<Reservation>>[] = [];
      const firstWave: number[] = [];
      const held: number[] = [];
      const started = performance.now();
      // Each customer asks for 1–4; told "only k left" they take k; told 0 left they stop.
      const customers = await fireAll(2000, async (i) => {
        let want = 1 + (i % 4);
        for (let attempt = 0; attempt < 20; attempt++) {
          const t = performance.now();
          const res = await post(holdUrl(event.id), tokens[i], { sectionId, quantity: want });
          const body = await res.json();
          attempts.push({ i, status: res.status, body, ms: performance.now() - t });
          if (attempt === 0) firstWave.push(performance.now() - t);
          if (res.status === 201) {
            held.push(body.quantity);
            break;
          }
          if (res.status !== 409 || body.code !== "sold_out" || body.available === 0) break;
          want = Math.min(want, body.available);
        }
        return new Response(null, { status: 204 });
      });
      const wallMs = performance.now() - started;

      expect(customers.shots.filter((s) => s.status !== 204)).toEqual([]); // no transport errors
      expect(new Set(attempts.filter((a) => a.status === 201).map((a) => a.i)).size).toBe(held.length);
      const codes = statusCounts(attempts);
      expect(Object.keys(codes).sort()).toEqual(["201", "409"]);
      for (const a of attempts.filter((a) => a.status === 409)) expect(a.body.code).toBe("sold_out");
      report("ga-2000-first-wave", firstWave, held.length, wallMs);
      report(
        "ga-2000-all-attempts",
        attempts.map((a) => a.ms),
        held.length,
        wallMs,
      );
      expect(held.reduce((a, b) => a + b, 0)).toBe(1000);

      const [{ qty, places }] = await db().execute<{ qty: number; places: number }>(sql`
      SELECT (SELECT coalesce(sum(quantity), 0)::int FROM reservations WHERE event_id = ${event.id} AND status = 'ACTIVE') AS qty,
             (SELECT count(*)::int FROM inventory WHERE event_id = ${event.id} AND status = 'HELD') AS places`);
      expect({ qty, places }).toEqual({ qty: 1000, places: 1000 });
      const [counts] = await expectIntegrity(event.id);
      expect(counts).toMatchObject({ capacity: 1000, held: 1000, available: 0 });
    },
    RACE_TIMEOUT,
  );
});
