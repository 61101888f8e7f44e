import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { RELAXED_LIMITS, shareAppSecrets, startApp, type App } from "@/tests/helpers/app";
import { createTestEvent, createUser, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { buy } from "@/tests/helpers/purchase";
import { bearerTokens, fireAll, post, statusCounts } from "@/tests/helpers/race";
import type { OrProblem, Problem, Reservation } from "@/tests/helpers/responses";

// The per-customer limit (events.max_per_customer, lib/holds/customer-limit.ts): places held and
// bought together, over all of a customer's orders, and a guest counted by email address. Each
// race fires truly parallel requests (each on its own connection, as separate API clients or
// browser tabs would) at a real `next start`, then checks the counts and the integrity checks in
// PostgreSQL. The control race, on an event without a limit, shows the same burst does exceed 4.

shareAppSecrets();

const LIMIT = 4;
let app: App;

beforeAll(async () => {
  app = await startApp({ env: RELAXED_LIMITS });
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

const holdUrl = (eventId: string) => `${app.url}/api/v1/events/${eventId}/reservations`;

/** Places of the event held (open, unexpired) or bought by these users. */
async function placesOf(eventId: string, userIds: string[]): Promise<number> {
  const ids = `{${userIds.join(",")}}`;
  const [row] = await db().execute<{ n: number }>(sql`
    SELECT (SELECT coalesce(sum(quantity), 0) FROM reservations WHERE event_id = ${eventId} AND user_id = ANY(${ids}::uuid[])
              AND (status = 'PAYMENT' OR (status = 'ACTIVE' AND expires_at > now())))::int
         + (SELECT count(*) FROM tickets t JOIN bookings b ON b.id = t.booking_id
              WHERE b.event_id = ${eventId} AND b.user_id = ANY(${ids}::uuid[]) AND t.status <> 'VOID')::int AS n`);
  return row.n;
}

function expectRefusals(shots: { status: number; body: unknown }[]) {
  for (const s of shots.filter((x) => x.status !== 201)) {
    expect(s.status, JSON.stringify(s.body)).toBe(422);
    const p = s.body as Problem & { limit: number; held: number };
    expect(p.code).toBe("limit_exceeded");
    expect(p.limit).toBe(LIMIT);
    expect(p.detail ?? p.title).toMatch(/^You can have at most 4 places for this event; you already have \d\./);
  }
}

describe("at most 4 places per customer, under concurrency", () => {
  it("one customer, eight API clients racing for one place each: exactly 4 held, the rest refused with the count", async () => {
    const { event, sections } = await createTestEvent({ sections: [ga(100)], maxPerCustomer: LIMIT });
    const customer = await createUser();
    const tokens = await bearerTokens(Array.from({ length: 8 }, () => customer));
    const { shots } = await fireAll<OrProblem<Reservation>>(8, (i) => post(holdUrl(event.id), tokens[i], { sectionId: sections[0].id, quantity: 1 }));
    expect(statusCounts(shots)[201], JSON.stringify(statusCounts(shots))).toBe(LIMIT);
    expectRefusals(shots);
    expect(await placesOf(event.id, [customer.id])).toBe(LIMIT);
    await expectIntegrity(event.id);
  }, 120_000);

  it("four guest sessions with one email address (any case), two seats each: two get theirs, two are refused", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 10)], maxPerCustomer: LIMIT });
    const email = `fan-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const guests = await Promise.all(
      [email, email.toUpperCase(), email, email.replace("fan", "FAN")].map((e) => createUser("CUSTOMER", { email: e, guest: true, passwordHash: null })),
    );
    const tokens = await bearerTokens(guests);
    const { shots } = await fireAll<OrProblem<Reservation>>(4, (i) =>
      post(holdUrl(event.id), tokens[i], { seatIds: [places[2 * i].id, places[2 * i + 1].id] }),
    );
    expect(statusCounts(shots)).toEqual({ 201: 2, 422: 2 });
    expectRefusals(shots);
    expect(
      await placesOf(
        event.id,
        guests.map((g) => g.id),
      ),
    ).toBe(LIMIT);
    await expectIntegrity(event.id);
  }, 120_000);

  it("control: the same burst on an event without a limit holds 8 places for that address", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 10)] });
    const email = `fan-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const guests = await Promise.all([0, 1, 2, 3].map(() => createUser("CUSTOMER", { email, guest: true, passwordHash: null })));
    const tokens = await bearerTokens(guests);
    const { shots } = await fireAll(4, (i) => post(holdUrl(event.id), tokens[i], { seatIds: [places[2 * i].id, places[2 * i + 1].id] }));
    expect(statusCounts(shots)).toEqual({ 201: 4 });
    expect(
      await placesOf(
        event.id,
        guests.map((g) => g.id),
      ),
    ).toBe(8);
    await expectIntegrity(event.id);
  }, 120_000);
});

describe("bought places count too", () => {
  it("3 bought: a hold of 2 is refused saying so, a hold of 1 is granted", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 10)], maxPerCustomer: LIMIT });
    const customer = await createUser();
    await buy(customer, event.id, { seatIds: places.slice(0, 3).map((p) => p.id) });
    const [token] = await bearerTokens([customer]);
    const refused = await post(holdUrl(event.id), token, { seatIds: [places[5].id, places[6].id] });
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as Problem;
    expect(problem.detail ?? problem.title).toBe("You can have at most 4 places for this event; you already have 3. You can add 1 more.");
    expect((await post(holdUrl(event.id), token, { seatIds: [places[5].id] })).status).toBe(201);
    // Adding to that open reservation is held to the same count.
    const more = await post(holdUrl(event.id), token, { seatIds: [places[6].id] });
    expect(more.status).toBe(422);
    expect(((await more.json()) as Problem).detail).toBe("You can have at most 4 places for this event; you already have 4.");
    expect(await placesOf(event.id, [customer.id])).toBe(LIMIT);
    await expectIntegrity(event.id);
  }, 120_000);
});
