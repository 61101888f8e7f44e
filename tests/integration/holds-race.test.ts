import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { startApp, type App, shareAppSecrets } from "@/tests/helpers/app";
import { createTestEvent, createUser, createUsers, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { bearerTokens, fireAll, post, report, request, statusCounts } from "@/tests/helpers/race";
import type { OrProblem, Reservation } from "@/tests/helpers/responses";

// Truly parallel holds over HTTP against a real `next start` process (each request on its own
// connection), real Postgres and real Redis. Exact outcomes, then the invariants in SQL.

shareAppSecrets();

// ~5 s and ~20 s on a quiet 2-core machine; generous so a machine shared with parallel suites
// slows these down without failing them.
const RACE_TIMEOUT = 300_000;

let app: App;

beforeAll(async () => {
  app = await startApp();
  // Warm the route, the connection pools and the JIT so the races measure steady state.
  const { event, places } = await createTestEvent({ sections: [seats(2, 25)] });
  const tokens = await bearerTokens(await createUsers(50));
  await fireAll(50, (i) => post(`${app.url}/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[i].id] }));
});

afterAll(async () => {
  await app?.stop();
});

const holdUrl = (eventId: string) => `${app.url}/api/v1/events/${eventId}/reservations`;

describe("racing for seats over HTTP", () => {
  it(
    "500 parallel requests for one seat: exactly one hold, 499 clear seat_taken answers, no 5xx",
    async () => {
      const { event, places } = await createTestEvent({ sections: [seats(1, 10)] });
      const seat = places[3].id;
      const tokens = await bearerTokens(await createUsers(500));
      // Baseline in the same conditions: the same burst at the health check (one DB and one Redis
      // round trip), so the figures below can be read against what this machine does right now.
      const health = await fireAll(500, () => request(`${app.url}/api/v1/health`));
      report(
        "baseline-health-500",
        health.shots.map((s) => s.ms),
        0,
        health.wallMs,
      );
      const { shots, wallMs } = await fireAll<OrProblem<Reservation>>(500, (i) => post(holdUrl(event.id), tokens[i], { seatIds: [seat] }));

      expect(statusCounts(shots)).toEqual({ 201: 1, 409: 499 });
      for (const s of shots.filter((s) => s.status === 409)) expect(s.body).toMatchObject({ code: "seat_taken", takenSeatIds: [seat] });
      const winner = shots.find((s) => s.status === 201)!;
      report(
        "single-seat-500",
        shots.map((s) => s.ms),
        1,
        wallMs,
      );

      const [row] = await db().execute<{ status: string; reservation_id: string }>(sql`SELECT status, reservation_id FROM inventory WHERE id = ${seat}`);
      expect(row).toEqual({ status: "HELD", reservation_id: winner.body.id });
      const [{ n }] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservations WHERE event_id = ${event.id}`);
      expect(n).toBe(1);
      const counts = await expectIntegrity(event.id);
      expect(counts[0]).toMatchObject({ held: 1, available: 9, sold: 0 });
    },
    RACE_TIMEOUT,
  );

  it("overlapping multi-seat requests (A wants 1,2,3 / B wants 3,4,5 …) never end in a partial hold", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 41)] });
    const ids = places.map((p) => p.id);
    const triples = Array.from({ length: 20 }, (_, j) => [ids[2 * j], ids[2 * j + 1], ids[2 * j + 2]]);
    const copies = 5; // five customers want each triple
    const tokens = await bearerTokens(await createUsers(triples.length * copies));
    const { shots } = await fireAll<OrProblem<Reservation>>(tokens.length, (i) => post(holdUrl(event.id), tokens[i], { seatIds: triples[i % triples.length] }));

    expect(Object.keys(statusCounts(shots)).sort()).toEqual(["201", "409"]);
    const won = shots.filter((s) => s.status === 201);
    // Winners never share a seat (neighbouring triples share one), and each triple that nobody
    // won lost to a winning neighbour: a refusal only ever comes from a real hold.
    const wonTriples = new Set(won.map((s) => s.i % triples.length));
    expect(wonTriples.size).toBe(won.length);
    for (let j = 0; j < triples.length; j++) {
      if (wonTriples.has(j)) expect(wonTriples.has(j + 1)).toBe(false);
      else expect(wonTriples.has(j - 1) || wonTriples.has(j + 1)).toBe(true);
    }
    for (const s of won) {
      expect(s.body.quantity).toBe(3);
      expect(s.body.items.map((x) => x.inventoryId)).toEqual(triples[s.i % triples.length]);
    }
    for (const s of shots.filter((s) => s.status === 409)) {
      expect(s.body.code).toBe("seat_taken");
      expect(s.body.takenSeatIds?.length).toBeGreaterThan(0);
    }
    // In the database: every reservation holds exactly its 3 seats, and no seat twice.
    const rows = await db().execute<{ id: string; quantity: number; places: number }>(sql`
      SELECT r.id, r.quantity, (SELECT count(*)::int FROM inventory i WHERE i.reservation_id = r.id AND i.status = 'HELD') AS places
      FROM reservations r WHERE r.event_id = ${event.id}`);
    expect(rows.length).toBe(won.length);
    for (const r of rows) expect(r).toMatchObject({ quantity: 3, places: 3 });
    await expectIntegrity(event.id);
  });
});

describe("reservation endpoints", () => {
  it("answers 201 with a Location, lists mine, and hides others' reservations as 404 (GET and DELETE)", async () => {
    const { event, places } = await createTestEvent();
    const [alice, bob, admin] = [await createUser(), await createUser(), await createUser("ADMIN")];
    const [ta, tb, tadmin] = await bearerTokens([alice, bob, admin]);
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });

    const res = await post(holdUrl(event.id), ta, { seatIds: [places[0].id] });
    expect(res.status).toBe(201);
    const view = await res.json();
    const location = res.headers.get("location");
    expect(location).toBe(`/api/v1/events/${event.id}/reservations/${view.id}`);

    expect((await fetch(`${app.url}${location}`, { headers: auth(ta) })).status).toBe(200);
    expect((await fetch(`${app.url}${location}`, { headers: auth(tadmin) })).status).toBe(200);
    for (const method of ["GET", "DELETE"]) {
      const r = await fetch(`${app.url}${location}`, { method, headers: auth(tb) });
      expect(r.status).toBe(404);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await fetch(`${app.url}${location}`)).status).toBe(401);

    const me = await fetch(`${holdUrl(event.id)}/me`, { headers: auth(ta) });
    expect(me.status).toBe(200);
    expect((await me.json()).id).toBe(view.id);
    expect((await fetch(`${holdUrl(event.id)}/me`, { headers: auth(tb) })).status).toBe(404);
    expect((await fetch(`${holdUrl(event.id)}/user/${alice.id}`, { headers: auth(ta) })).status).toBe(200);
    expect((await fetch(`${holdUrl(event.id)}/user/${alice.id}`, { headers: auth(tb) })).status).toBe(404);
    expect((await fetch(`${holdUrl(event.id)}/user/${alice.id}`, { headers: auth(tadmin) })).status).toBe(200);
    const list = await (await fetch(holdUrl(event.id), { headers: auth(ta) })).json();
    expect(list.reservations.map((r: { id: string }) => r.id)).toEqual([view.id]);
    expect((await (await fetch(holdUrl(event.id), { headers: auth(tb) })).json()).reservations).toEqual([]);

    // Bob's attempt on Alice's seat names it.
    const taken = await post(holdUrl(event.id), tb, { seatIds: [places[0].id, places[1].id] });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ code: "seat_taken", takenSeatIds: [places[0].id] });

    expect((await fetch(`${app.url}${location}`, { method: "DELETE", headers: auth(ta) })).status).toBe(204);
    expect((await (await fetch(`${app.url}${location}`, { headers: auth(ta) })).json()).status).toBe("RELEASED");
    expect((await post(holdUrl(event.id), tb, { seatIds: [places[0].id] })).status).toBe(201);
    await expectIntegrity(event.id);
  });

  it("refuses bad input with field errors, never a 5xx", async () => {
    const { event, places } = await createTestEvent({ maxPerOrder: 2 });
    const [t] = await bearerTokens([await createUser()]);
    const cases: [string, unknown, number, string][] = [
      [holdUrl(event.id), { seatIds: "1" }, 400, "validation_failed"],
      [holdUrl(event.id), { seatIds: [1.5] }, 400, "validation_failed"],
      [holdUrl(event.id), { sectionId: "x", quantity: 1 }, 400, "validation_failed"],
      [holdUrl(event.id), {}, 400, "validation_failed"],
      [holdUrl("not-a-uuid"), { seatIds: [1] }, 400, "validation_failed"],
      [holdUrl("00000000-0000-4000-8000-000000000000"), { seatIds: [1] }, 404, "not_found"],
      [holdUrl(event.id), { seatIds: places.slice(0, 3).map((p) => p.id) }, 422, "limit_exceeded"],
    ];
    for (const [url, body, status, code] of cases) {
      const r = await post(url, t, body);
      expect({ status: r.status, code: (await r.json()).code }).toEqual({ status, code });
    }
    const bad = await fetch(holdUrl(event.id), { method: "POST", headers: { authorization: `Bearer ${t}`, "content-type": "application/json" }, body: "{" });
    expect(bad.status).toBe(400);
  });
});
