import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { startApp, type App, shareAppSecrets } from "@/tests/helpers/app";
import { createTestEvent, createUsers, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { startPrivateRedis, type PrivateRedis } from "@/tests/helpers/private-redis";
import { bearerTokens, fireAll, post, statusCounts, type Shot } from "@/tests/helpers/race";
import type { OrProblem, Reservation } from "@/tests/helpers/responses";
import { sleep } from "@/tests/helpers/wait";

// Redis is an accelerator, never the authority (GUIDE I6): the app keeps selling, exactly
// once, when its Redis is stopped or flushed in the middle of a race. A private redis-server is
// used so other test files sharing the global one are not disturbed. A small hold delay keeps
// requests in flight long enough for the fault to land mid-race.

shareAppSecrets();

let redis: PrivateRedis;
let app: App;

beforeAll(async () => {
  redis = await startPrivateRedis();
  app = await startApp({ env: { REDIS_URL: redis.url, TESSERA_TEST_HOLD_DELAY_MS: "40" } });
});

afterAll(async () => {
  await app?.stop();
  await redis?.close();
});

const SEATS = 50;
const PER_SEAT = 8;

/** 400 customers, 8 per seat, with `fault` injected once the first 60 answers are back. */
async function raceWithFault(fault: () => Promise<void>) {
  const { event, places } = await createTestEvent({ sections: [seats(5, 10)] });
  const tokens = await bearerTokens(await createUsers(SEATS * PER_SEAT));
  const url = `${app.url}/api/v1/events/${event.id}/reservations`;
  const finished: number[] = [];
  let started!: () => void;
  const underway = new Promise<void>((r) => (started = r));
  const race = fireAll<OrProblem<Reservation>>(tokens.length, async (i) => {
    const res = await post(url, tokens[i], { seatIds: [places[i % SEATS].id] });
    if (finished.push(performance.now()) === 60) started();
    return res;
  });
  await underway;
  await fault();
  const faultAt = performance.now();
  const { shots } = await race;
  return { event, places, shots, before: finished.filter((t) => t < faultAt).length, after: finished.filter((t) => t >= faultAt).length };
}

function expectOneWinnerPerSeat(shots: Shot<OrProblem<Reservation>>[], places: { id: number }[]) {
  expect(Object.keys(statusCounts(shots)).sort()).toEqual(["201", "409"]);
  const winners = new Map<number, number>();
  for (const s of shots.filter((s) => s.status === 201)) {
    const seat = s.body.items[0].inventoryId;
    winners.set(seat, (winners.get(seat) ?? 0) + 1);
  }
  for (const p of places.slice(0, SEATS)) expect(winners.get(p.id) ?? 0, `seat ${p.id}`).toBe(1);
  for (const s of shots.filter((s) => s.status === 409)) expect(s.body.code).toBe("seat_taken");
}

async function heldCount(eventId: string) {
  const [{ n }] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM inventory WHERE event_id = ${eventId} AND status = 'HELD'`);
  return n;
}

describe("Redis faults in the middle of a race", () => {
  it("Redis flushed mid-race: still exactly one hold per seat", async () => {
    const r = await raceWithFault(() => redis.flush());
    expect(r.before).toBeGreaterThan(0);
    expect(r.after).toBeGreaterThan(0);
    expectOneWinnerPerSeat(r.shots, r.places);
    expect(await heldCount(r.event.id)).toBe(SEATS);
    await expectIntegrity(r.event.id);
  });

  it("Redis stopped mid-race: selling goes on through Postgres alone, exactly once; then it comes back empty", async () => {
    const r = await raceWithFault(() => redis.stop());
    try {
      expect(r.before).toBeGreaterThan(0);
      expect(r.after).toBeGreaterThan(0);
      expectOneWinnerPerSeat(r.shots, r.places);
      expect(await heldCount(r.event.id)).toBe(SEATS);
      await expectIntegrity(r.event.id);

      // Still down: general admission sells exactly its capacity.
      const { event, sections } = await createTestEvent({ sections: [ga(60)] });
      const tokens = await bearerTokens(await createUsers(150));
      const { shots } = await fireAll(150, (i) =>
        post(`${app.url}/api/v1/events/${event.id}/reservations`, tokens[i], { sectionId: sections[0].id, quantity: 1 }),
      );
      expect(statusCounts(shots)).toEqual({ 201: 60, 409: 90 });
      expect(await heldCount(event.id)).toBe(60);
      await expectIntegrity(event.id);
    } finally {
      await redis.start();
    }

    // Back, empty: the pre-lock works again once the client has reconnected.
    const { event, places } = await createTestEvent({ sections: [seats(1, 5)] });
    const [t] = await bearerTokens(await createUsers(1));
    let keys: string[] = [];
    for (let i = 0; i < 50 && keys.length === 0; i++) {
      await sleep(100);
      const seat = places[i % 5].id;
      const res = await post(`${app.url}/api/v1/events/${event.id}/reservations`, t, { seatIds: [seat] });
      expect([201, 409]).toContain(res.status);
      keys = await redis.keys(`hold:{${event.id}}:*`);
    }
    expect(keys.length).toBeGreaterThan(0);
    await expectIntegrity(event.id);
  });
});
