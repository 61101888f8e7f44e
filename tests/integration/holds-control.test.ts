import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { startApp, type App, shareAppSecrets } from "@/tests/helpers/app";
import { createTestEvent, createUsers, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { bearerTokens, fireAll, post, statusCounts } from "@/tests/helpers/race";
import { card } from "@/tests/helpers/payments";
import { toActor } from "@/lib/auth/users";
import { runIntegrityChecks } from "@/lib/integrity/checks";
import { createPromoCode } from "@/lib/promo-codes/manage";
import { createTicketType } from "@/lib/ticket-types/manage";

// The control experiment (GUIDE §4): the same race, the same widened window
// (TESSERA_TEST_HOLD_DELAY_MS sleeps between the check and the write), once with the guards off
// (TESSERA_TEST_UNGUARDED: check-then-write, no fence, no Redis) and once guarded by Postgres
// alone (no Redis at all). Double holds must appear in the first and never in the second — so
// the guarded race tests are known to be able to fail.

shareAppSecrets();

const DELAY = "150";
let unguarded: App;
let guarded: App;

beforeAll(async () => {
  [unguarded, guarded] = await Promise.all([
    startApp({ env: { TESSERA_TEST_UNGUARDED: "1", TESSERA_TEST_HOLD_DELAY_MS: DELAY } }),
    startApp({ env: { TESSERA_TEST_HOLD_DELAY_MS: DELAY, REDIS_URL: "" } }),
  ]);
});

afterAll(async () => {
  await Promise.all([unguarded?.stop(), guarded?.stop()]);
});

async function seatRace(app: App) {
  const { event, places } = await createTestEvent({ sections: [seats(1, 5)] });
  const tokens = await bearerTokens(await createUsers(50));
  const { shots } = await fireAll(50, (i) => post(`${app.url}/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[0].id] }));
  const [{ n }] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservations WHERE event_id = ${event.id} AND status = 'ACTIVE'`);
  return { event, codes: statusCounts(shots), reservations: n };
}

/** Eight customers each hold a seat, then all pay at once choosing the one limited type (limit 3). */
async function typeLimitRace(app: App) {
  const { event, places, sections, organizer } = await createTestEvent({ sections: [seats(1, 8)] });
  const made = await createTicketType(toActor(organizer), event.id, { name: "Concession", limit: 3, prices: [{ sectionId: sections[0].id, priceMinor: 700 }] });
  if (!made.ok) throw new Error(made.message);
  const tokens = await bearerTokens(await createUsers(8));
  const held: string[] = [];
  for (let i = 0; i < 8; i++) {
    const res = await post(`${app.url}/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[i].id] });
    held.push(((await res.json()) as { id: string }).id);
  }
  const { shots } = await fireAll(8, (i) =>
    fetch(`${app.url}/api/v1/bookings/confirm`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens[i]}`, "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({
        reservationId: held[i],
        payment: { method: "mock", card: card("success") },
        ticketTypes: [{ inventoryId: places[i].id, ticketTypeId: made.ticketType.id }],
      }),
    }),
  );
  const [{ n }] = await db().execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM tickets WHERE ticket_type_id = ${made.ticketType.id} AND status <> 'VOID'`,
  );
  return { event, codes: statusCounts(shots), sold: n };
}

/** Eight customers each hold a seat, then all pay at once with one code good for 3 uses. */
async function promoLimitRace(app: App) {
  const { event, places, organizer } = await createTestEvent({ sections: [seats(1, 8)] });
  const made = await createPromoCode(toActor(organizer), event.id, { code: "THREE", kind: "PERCENT", amount: 50, maxUses: 3 });
  if (!made.ok) throw new Error(made.message);
  const tokens = await bearerTokens(await createUsers(8));
  const held: string[] = [];
  for (let i = 0; i < 8; i++) {
    const res = await post(`${app.url}/api/v1/events/${event.id}/reservations`, tokens[i], { seatIds: [places[i].id] });
    held.push(((await res.json()) as { id: string }).id);
  }
  const { shots } = await fireAll(8, (i) =>
    fetch(`${app.url}/api/v1/bookings/confirm`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens[i]}`, "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({ reservationId: held[i], payment: { method: "mock", card: card("success") }, promoCode: "three" }),
    }),
  );
  const [{ n }] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM promo_redemptions WHERE code_id = ${made.promoCode.id}`);
  return { event, codes: statusCounts(shots), redeemed: n };
}

async function gaRace(app: App) {
  const { event, sections } = await createTestEvent({ sections: [ga(10)] });
  const tokens = await bearerTokens(await createUsers(40));
  const { shots } = await fireAll(40, (i) => post(`${app.url}/api/v1/events/${event.id}/reservations`, tokens[i], { sectionId: sections[0].id, quantity: 1 }));
  const [{ promised }] = await db().execute<{ promised: number }>(sql`
    SELECT coalesce(sum(quantity), 0)::int AS promised FROM reservations WHERE event_id = ${event.id} AND status = 'ACTIVE'`);
  return { event, codes: statusCounts(shots), promised };
}

describe("control: the race is real", () => {
  it("unguarded, one seat goes to many customers at once", async () => {
    const r = await seatRace(unguarded);
    expect(r.codes[201]).toBeGreaterThan(1);
    expect(r.reservations).toBe(r.codes[201]);
    console.log(`CONTROL ${JSON.stringify({ unguardedSeatWinners: r.codes[201] })}`);
  });

  it("unguarded, general admission promises more places than exist", async () => {
    const r = await gaRace(unguarded);
    expect(r.promised).toBeGreaterThan(10);
    console.log(`CONTROL ${JSON.stringify({ unguardedGaPromised: r.promised, capacity: 10 })}`);
  });
});

describe("control: ticket-type limits", () => {
  it("unguarded (no lock on the type), a limit of 3 sells more", async () => {
    const r = await typeLimitRace(unguarded);
    expect(r.sold).toBeGreaterThan(3);
    const checks = await runIntegrityChecks(db(), r.event.id);
    expect(checks.find((c) => c.name === "ticket_type_within_limit")?.violations).toBe(1);
    console.log(`CONTROL ${JSON.stringify({ unguardedTypeSold: r.sold, limit: 3 })}`);
  });

  it("guarded, with the same window: exactly 3 sold, the others told none is left", async () => {
    const r = await typeLimitRace(guarded);
    expect(r.codes).toEqual({ 201: 3, 409: 5 });
    expect(r.sold).toBe(3);
    await expectIntegrity(r.event.id);
  });
});

describe("guarded by Postgres alone, with the same window", () => {
  it("one seat, 50 customers: exactly one hold", async () => {
    const r = await seatRace(guarded);
    expect(r.codes).toEqual({ 201: 1, 409: 49 });
    expect(r.reservations).toBe(1);
    await expectIntegrity(r.event.id);
  });

  it("10 GA places, 40 customers: exactly 10 held", async () => {
    const r = await gaRace(guarded);
    expect(r.codes).toEqual({ 201: 10, 409: 30 });
    expect(r.promised).toBe(10);
    const [counts] = await expectIntegrity(r.event.id);
    expect(counts).toMatchObject({ held: 10, available: 0 });
  });
});

describe("control: discount-code limits", () => {
  it("unguarded (no lock on the code), a code good for 3 uses is redeemed more often", async () => {
    const r = await promoLimitRace(unguarded);
    expect(r.redeemed).toBeGreaterThan(3);
    const checks = await runIntegrityChecks(db(), r.event.id);
    expect(checks.find((c) => c.name === "promo_code_within_limits")?.violations).toBe(1);
    console.log(`CONTROL ${JSON.stringify({ unguardedPromoRedeemed: r.redeemed, maxUses: 3 })}`);
  });

  it("guarded, with the same window: exactly 3 redeemed, the others told it is used up", async () => {
    const r = await promoLimitRace(guarded);
    expect(r.codes).toEqual({ 201: 3, 400: 5 });
    expect(r.redeemed).toBe(3);
    await expectIntegrity(r.event.id);
  });
});
