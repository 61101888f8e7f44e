import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { startApp, type App, shareAppSecrets } from "@/tests/helpers/app";
import { createTestEvent, createUsers, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { bearerTokens, fireAll, post, statusCounts } from "@/tests/helpers/race";
import type { OrProblem, Reservation } from "@/tests/helpers/responses";

// Scale-out (GUIDE §3): three `next start` processes on different ports share one Postgres and
// one Redis; customers racing for the same seats are spread across all three.

shareAppSecrets();

let apps: App[] = [];

beforeAll(async () => {
  apps = await Promise.all([startApp(), startApp(), startApp()]);
  // Warm each process (route modules, pools) so none starts the race handicapped.
  const { event, places } = await createTestEvent({ sections: [seats(1, 30)] });
  const tokens = await bearerTokens(await createUsers(30));
  await fireAll(30, (i) => post(`${apps[i % 3].url}/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[i].id] }));
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.stop()));
});

describe("three app processes, one Postgres, one Redis", () => {
  it("600 customers for 30 seats, each seat's contenders spread over the three: one winner per seat", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(3, 10)] });
    const tokens = await bearerTokens(await createUsers(600));
    // Customer i wants seat s = i % 30 and talks to process (s + ⌊i / 30⌋) % 3: each seat's 20
    // contenders are spread over the three, and each process sends the first request for 10 seats.
    const appOf = (i: number) => ((i % 30) + Math.floor(i / 30)) % 3;
    const { shots } = await fireAll<OrProblem<Reservation>>(600, (i) =>
      post(`${apps[appOf(i)].url}/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[i % 30].id] }),
    );
    expect(statusCounts(shots)).toEqual({ 201: 30, 409: 570 });
    const bySeat = new Map<number, number[]>();
    for (const s of shots.filter((s) => s.status === 201)) {
      const seat = s.body.items[0].inventoryId;
      bySeat.set(seat, [...(bySeat.get(seat) ?? []), appOf(s.i)]);
    }
    expect(bySeat.size).toBe(30);
    for (const winners of bySeat.values()) expect(winners.length).toBe(1);
    // Every process answered its 200 contenders (about 7 per seat) with a hold or a clear refusal.
    for (const k of [0, 1, 2]) {
      const answered = shots.filter((s) => appOf(s.i) === k);
      expect(answered.length).toBe(200);
      expect(answered.every((s) => s.status === 201 || (s.status === 409 && s.body.code === "seat_taken"))).toBe(true);
    }
    const [{ n }] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservations WHERE event_id = ${event.id}`);
    expect(n).toBe(30);
    await expectIntegrity(event.id);
  });

  it("300 customers for 100 GA places across the three: exactly 100 held", async () => {
    const { event, sections } = await createTestEvent({ sections: [ga(100)] });
    const tokens = await bearerTokens(await createUsers(300));
    const { shots } = await fireAll(300, (i) =>
      post(`${apps[i % 3].url}/api/v1/events/${event.id}/reservations`, tokens[i], { sectionId: sections[0].id, quantity: 1 }),
    );
    expect(statusCounts(shots)).toEqual({ 201: 100, 409: 200 });
    const [counts] = await expectIntegrity(event.id);
    expect(counts).toMatchObject({ held: 100, available: 0 });
  });
});
