import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { compileErrors, validate } from "@readme/openapi-parser";
import { eq } from "drizzle-orm";
import type { OpenAPIV3_1 } from "openapi-types";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/db";
import { events, reservations } from "@/db/schema";
import { ROUTE_LIMITS } from "@/lib/api/limits";
import { openApiDocument } from "@/lib/api/openapi";
import { freePort } from "@/lib/dev/services";
import { ApiClient, sampleEventBody, sampleVenueBody, signedIn, startApiApp, type ApiResponse, type Principal } from "@/tests/helpers/api";
import type { App } from "@/tests/helpers/app";
import { createTestEvent, ga, seats, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { pay } from "@/tests/helpers/payments";
import type { Booking, Problem, QueuePlace, Reservation, Venue } from "@/tests/helpers/responses";
import { SpecChecker, type OpenApiSpec } from "@/tests/helpers/spec-checker";

// The OpenAPI document is valid, generated from the code, lists every route handler, and every
// response it documents (each operation × each status) is produced by the real app and matches
// the documented media type, headers and JSON Schema. An "outage" app whose PostgreSQL and
// Redis are unreachable provides the documented 503s.

const root = path.resolve(__dirname, "../..");
const V1 = "/api/v1";

let app: App;
let outage: App;
let spec: OpenApiSpec;
let checker: SpecChecker;
let customer: Principal;
let organizer: Principal;
let admin: Principal;

const anon = () => new ApiClient(app.url);

/** Sends through `client`, checks against the spec, returns the response. */
async function call<T = Problem>(
  client: ApiClient,
  method: string,
  template: string,
  params: Record<string, string> = {},
  opts: Parameters<ApiClient["request"]>[2] = {},
) {
  const url = V1 + template.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(params[k]));
  const res = await client.request<T>(method, url, opts);
  checker.check(method, template, res);
  return res;
}

function expectStatus(res: ApiResponse<unknown>, status: number) {
  expect(res.status, res.text.slice(0, 300)).toBe(status);
}

/**
 * Repeats `send` until it answers 429 (at most `limit` + 10 times). Redis calls that miss their
 * deadline on this busy machine fail open or closed, so the exact count may drift; the 429 must come.
 */
async function untilLimited(limit: number, send: () => Promise<ApiResponse>) {
  let last: ApiResponse | undefined;
  for (let i = 0; i < limit + 10 && last?.status !== 429; i++) last = await send();
  return last!;
}

const big = { json: { filler: "x".repeat(70 * 1024) } };
const textBody = { body: "hello", headers: { "content-type": "text/plain" } };

beforeAll(async () => {
  const deadDb = await freePort();
  const deadRedis = await freePort();
  [app, outage] = await Promise.all([
    startApiApp({
      RATE_LIMIT_LOGIN_ACCOUNT: "3/60",
      RATE_LIMIT_REGISTER: "3/3600",
      RATE_LIMIT_API: "30/60",
      RATE_LIMIT_SEAT_MAP: "30/60",
      RATE_LIMIT_RESERVATION: "5/60",
      RATE_LIMIT_CONFIRM: "5/60",
      RATE_LIMIT_QUEUE_JOIN: "3/60",
      RATE_LIMIT_QUEUE_POLL: "30/60",
      PAYMENT_TIMEOUT_MS: "300",
    }),
    startApiApp({ DATABASE_URL: `postgres://postgres:tessera@127.0.0.1:${deadDb}/tessera`, REDIS_URL: `redis://127.0.0.1:${deadRedis}` }),
  ]);
  spec = (await anon().get<OpenApiSpec>(`${V1}/openapi.json`)).body;
  checker = new SpecChecker(spec);
  [customer, organizer, admin] = await Promise.all([signedIn(app), signedIn(app, "ORGANIZER"), signedIn(app, "ADMIN")]);
});

afterAll(async () => {
  await Promise.all([app?.stop(), outage?.stop()]);
});

describe("the document", () => {
  test("is valid OpenAPI 3.1", async () => {
    const result = await validate(structuredClone(spec) as OpenApiSpec & OpenAPIV3_1.Document); // the parser checks all of it
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(spec.openapi).toBe("3.1.0");
  });

  test("is the one generated from the handlers' zod schemas", async () => {
    expect(spec).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const register = spec.paths["/auth/register"].post.requestBody!.content["application/json"].schema;
    expect(register.additionalProperties).toBe(false);
    expect(register.required?.sort()).toEqual(["email", "name", "password"]);
  });

  test("lists every route handler under app/api/v1, and nothing else", () => {
    const handlers = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name === "route.ts") {
          const rel = path.relative(path.join(root, "app/api/v1"), path.dirname(full)).split(path.sep);
          if (rel[0] === "[...path]") continue; // the problem+json 404 for unknown paths
          const template = "/" + rel.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/");
          const source = fs.readFileSync(full, "utf8");
          for (const m of source.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)) handlers.add(`${m[1]} ${template}`);
        }
      }
    };
    walk(path.join(root, "app/api/v1"));
    const documented = new Set(Object.entries(spec.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`)));
    expect(
      [...handlers].filter((h) => !documented.has(h)),
      "handlers missing from the spec",
    ).toEqual([]);
    expect(
      [...documented].filter((d) => !handlers.has(d)),
      "documented operations without a handler",
    ).toEqual([]);
  });
});

describe("documented responses match real ones", () => {
  test("auth", async () => {
    const client = anon();
    const { res: created, input } = await client.register();
    checker.check("POST", "/auth/register", created);
    expectStatus(created, 201);
    expectStatus(await call(anon(), "POST", "/auth/register", {}, { json: { ...input, email: "not-an-email" } }), 400);
    expectStatus(await call(anon(), "POST", "/auth/register", {}, { json: input }), 409);
    expectStatus(await call(anon(), "POST", "/auth/register", {}, big), 413);
    expectStatus(await call(anon(), "POST", "/auth/register", {}, textBody), 415);
    const throttled = anon();
    expectStatus(
      await untilLimited(3, () => call(throttled, "POST", "/auth/register", {}, { json: { ...input, email: `rl-${crypto.randomUUID()}@example.test` } })),
      429,
    );

    expectStatus(await call(anon(), "POST", "/auth/login", {}, { json: { email: input.email, password: input.password } }), 200);
    expectStatus(await call(anon(), "POST", "/auth/login", {}, { json: { email: input.email } }), 400);
    expectStatus(await call(anon(), "POST", "/auth/login", {}, { json: { email: input.email, password: "wrong-pass-1" } }), 401);
    expectStatus(await call(anon(), "POST", "/auth/login", {}, big), 413);
    expectStatus(await call(anon(), "POST", "/auth/login", {}, textBody), 415);
    expectStatus(await untilLimited(3, () => call(anon(), "POST", "/auth/login", {}, { json: { email: input.email, password: "wrong-pass-1" } })), 429);

    expectStatus(await call(customer.api, "GET", "/auth/profile"), 200);
    expectStatus(await call(anon(), "GET", "/auth/profile"), 401);
  });

  test("events", async () => {
    const { event } = await createTestEvent({ organizer: organizer.user });
    expectStatus(await call(anon(), "GET", "/events", {}, {}), 200);
    const q = await anon().get(`${V1}/events?status=bogus`);
    checker.check("GET", "/events", q);
    expectStatus(q, 400);
    expectStatus(await call(organizer.api, "POST", "/events", {}, { json: sampleEventBody() }), 201);
    expectStatus(await call(organizer.api, "POST", "/events", {}, { json: sampleEventBody({ title: "" }) }), 400);
    expectStatus(await call(anon(), "POST", "/events", {}, { json: sampleEventBody() }), 401);
    expectStatus(await call(customer.api, "POST", "/events", {}, { json: sampleEventBody() }), 403);
    expectStatus(await call(organizer.api, "POST", "/events", {}, big), 413);
    expectStatus(await call(organizer.api, "POST", "/events", {}, textBody), 415);
    expectStatus(await call(anon(), "GET", "/events/{eventId}", { eventId: event.id }), 200);
    expectStatus(await call(anon(), "GET", "/events/{eventId}", { eventId: "nope" }), 400);
    expectStatus(await call(anon(), "GET", "/events/{eventId}", { eventId: event.id }, { token: "not-a-token" }), 401);
    expectStatus(await call(anon(), "GET", "/events/{eventId}", { eventId: crypto.randomUUID() }), 404);
    for (const [template, params] of [
      ["/events", {}],
      ["/events/{eventId}", { eventId: event.id }],
      ["/venues", {}],
    ] as const) {
      const hammer = anon();
      expectStatus(await untilLimited(30, () => call(hammer, "GET", template, params)), 429);
    }
  });

  test("venues", async () => {
    const created = await call<Venue>(admin.api, "POST", "/venues", {}, { json: sampleVenueBody() });
    expectStatus(created, 201);
    expectStatus(await call(anon(), "GET", "/venues"), 200);
    const filtered = await anon().get(`${V1}/venues?city=Paris`);
    checker.check("GET", "/venues", filtered);
    expectStatus(filtered, 400);
    expectStatus(await call(admin.api, "POST", "/venues", {}, { json: sampleVenueBody({ sections: [] }) }), 400);
    expectStatus(await call(anon(), "POST", "/venues", {}, { json: sampleVenueBody() }), 401);
    expectStatus(await call(customer.api, "POST", "/venues", {}, { json: sampleVenueBody() }), 403);
    expectStatus(await call(organizer.api, "POST", "/venues", {}, { json: sampleVenueBody() }), 201); // organizers create venues too
    expectStatus(await call(admin.api, "POST", "/venues", {}, big), 413);
    expectStatus(await call(admin.api, "POST", "/venues", {}, textBody), 415);
    expectStatus(await call(anon(), "GET", "/venues/{venueId}", { venueId: created.body.id }), 200);
    expectStatus(await call(anon(), "GET", "/venues/{venueId}", { venueId: "1" }), 400);
    expectStatus(await call(anon(), "GET", "/venues/{venueId}", { venueId: crypto.randomUUID() }), 404);
    const hammer = anon();
    expectStatus(await untilLimited(30, () => call(hammer, "GET", "/venues/{venueId}", { venueId: created.body.id })), 429);
  });

  test("inventory, seats and reservations", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 5)], maxPerOrder: 2 });
    const { event: gaEvent, sections: gaSections } = await createTestEvent({ sections: [ga(1)] });
    const { event: closed, places: closedPlaces } = await createTestEvent({ onSale: false });
    const eventId = event.id;
    const other = await signedIn(app);

    for (const p of ["/events/{eventId}/inventory", "/events/{eventId}/seats"]) {
      const first = await call(anon(), "GET", p, { eventId });
      expectStatus(first, 200);
      expectStatus(await call(anon(), "GET", p, { eventId }, { headers: { "if-none-match": first.headers.get("etag")! } }), 304);
      expectStatus(await call(anon(), "GET", p, { eventId: "x" }), 400);
      expectStatus(await call(anon(), "GET", p, { eventId: crypto.randomUUID() }), 404);
      const hammer = anon(); // each endpoint from its own address: they share one budget per address
      expectStatus(await untilLimited(30, () => call(hammer, "GET", p, { eventId })), 429);
    }

    const R = "/events/{eventId}/reservations";
    const held = await call<Reservation>(customer.api, "POST", R, { eventId }, { json: { seatIds: [places[0].id] } });
    expectStatus(held, 201);
    expectStatus(await call(customer.api, "POST", R, { eventId }, { json: { seatIds: [] } }), 400);
    expectStatus(await call(anon(), "POST", R, { eventId }, { json: { seatIds: [places[1].id] } }), 401);
    expectStatus(await call(customer.api, "POST", R, { eventId: crypto.randomUUID() }, { json: { seatIds: [1] } }), 404);
    expectStatus(await call(other.api, "POST", R, { eventId }, { json: { seatIds: [places[0].id] } }), 409);
    expectStatus(await call(other.api, "POST", R, { eventId }, { json: { seatIds: places.slice(2, 5).map((p) => p.id) } }), 422);
    expectStatus(await call(customer.api, "POST", R, { eventId }, big), 413);
    expectStatus(await call(customer.api, "POST", R, { eventId }, textBody), 415);
    const soldOut = await signedIn(app);
    expectStatus(await call(soldOut.api, "POST", R, { eventId: gaEvent.id }, { json: { sectionId: gaSections[0].id, quantity: 1 } }), 201);
    expectStatus(await call(other.api, "POST", R, { eventId: gaEvent.id }, { json: { sectionId: gaSections[0].id, quantity: 1 } }), 409);
    expectStatus(await call(other.api, "POST", R, { eventId: closed.id }, { json: { seatIds: [closedPlaces[0].id] } }), 409);
    const hammer = await signedIn(app);
    expectStatus(await untilLimited(5, () => call(hammer.api, "POST", R, { eventId }, { json: { seatIds: [999_999_999] } })), 429);

    expectStatus(await call(customer.api, "GET", R, { eventId }), 200);
    expectStatus(await call(customer.api, "GET", R, { eventId: "x" }), 400);
    expectStatus(await call(anon(), "GET", R, { eventId }), 401);

    const reservationId = held.body.id;
    for (const [p, params] of [
      [`${R}/me`, { eventId }],
      [`${R}/user/{userId}`, { eventId, userId: customer.user.id }],
      [`${R}/{reservationId}`, { eventId, reservationId }],
    ] as const) {
      expectStatus(await call(customer.api, "GET", p, params), 200);
      expectStatus(await call(customer.api, "GET", p, { ...params, eventId: "x" }), 400);
      expectStatus(await call(anon(), "GET", p, params), 401);
      expectStatus(await call(other.api, "GET", p, params), 404);
    }

    const D = `${R}/{reservationId}`;
    expectStatus(await call(customer.api, "DELETE", D, { eventId, reservationId: "x" }), 400);
    expectStatus(await call(anon(), "DELETE", D, { eventId, reservationId }), 401);
    expectStatus(await call(other.api, "DELETE", D, { eventId, reservationId }), 404);
    await db()
      .update(reservations)
      .set({ status: "PAYMENT", paymentDeadline: new Date(Date.now() + 300_000) })
      .where(eq(reservations.id, reservationId));
    expectStatus(await call(customer.api, "DELETE", D, { eventId, reservationId }), 409);
    await db().update(reservations).set({ status: "ACTIVE", paymentDeadline: null }).where(eq(reservations.id, reservationId));
    expectStatus(await call(customer.api, "DELETE", D, { eventId, reservationId }), 204);
  });

  test("bookings", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(2, 10)] });
    const holdFor = async (who: Principal, seat: number) => {
      const r = await who.api.post<Reservation>(`${V1}/events/${event.id}/reservations`, { seatIds: [places[seat].id] });
      expectStatus(r, 201);
      return r.body.id;
    };
    const key = () => ({ "idempotency-key": crypto.randomUUID() });
    const C = "/bookings/confirm";
    const [buyer, decliner, slow, other] = await Promise.all([signedIn(app), signedIn(app), signedIn(app), signedIn(app)]);

    const body = { reservationId: await holdFor(buyer, 0), payment: pay("success") };
    const k = key();
    const booked = await call<Booking>(buyer.api, "POST", C, {}, { json: body, headers: k });
    expectStatus(booked, 201);
    expectStatus(await call(buyer.api, "POST", C, {}, { json: body, headers: k }), 201);
    expectStatus(await call(buyer.api, "POST", C, {}, { json: { ...body, payment: pay("decline") }, headers: k }), 422);
    // Paying again for a booked reservation, with a new key: 409 reservation_closed.
    expectStatus(await call(buyer.api, "POST", C, {}, { json: body, headers: key() }), 409);
    expectStatus(await call(buyer.api, "POST", C, {}, { json: body }), 400);
    expectStatus(await call(anon(), "POST", C, {}, { json: body, headers: key() }), 401);
    expectStatus(
      await call(decliner.api, "POST", C, {}, { json: { reservationId: await holdFor(decliner, 1), payment: pay("decline") }, headers: key() }),
      402,
    );
    expectStatus(await call(other.api, "POST", C, {}, { json: { ...body, reservationId: crypto.randomUUID() }, headers: key() }), 404);
    expectStatus(await call(other.api, "POST", C, {}, { ...big, headers: key() }), 413);
    expectStatus(await call(other.api, "POST", C, {}, { ...textBody, headers: { ...textBody.headers, ...key() } }), 415);
    // A provider slower than PAYMENT_TIMEOUT_MS: 504, retry with the same key later.
    expectStatus(await call(slow.api, "POST", C, {}, { json: { reservationId: await holdFor(slow, 2), payment: pay("slow") }, headers: key() }), 504);
    const hammer = await signedIn(app);
    expectStatus(await untilLimited(5, () => call(hammer.api, "POST", C, {}, { json: { ...body, reservationId: crypto.randomUUID() }, headers: key() })), 429);

    const reference = booked.body.reference;
    const B = "/bookings/reference/{reference}";
    expectStatus(await call(buyer.api, "GET", B, { reference }), 200);
    expectStatus(await call(buyer.api, "GET", B, { reference: "x".repeat(40) }), 400);
    expectStatus(await call(anon(), "GET", B, { reference }), 401);
    expectStatus(await call(other.api, "GET", B, { reference }), 404);
    const Q = `${B}/tickets/{ticketId}/qr`;
    const ticketId = booked.body.tickets[0].id;
    expectStatus(await call(buyer.api, "GET", Q, { reference, ticketId }), 200);
    expectStatus(await call(buyer.api, "GET", Q, { reference, ticketId: "x" }), 400);
    expectStatus(await call(anon(), "GET", Q, { reference, ticketId }), 401);
    expectStatus(await call(other.api, "GET", Q, { reference, ticketId }), 404);
    expectStatus(await call(buyer.api, "GET", "/bookings/me"), 200);
    const badWhen = await buyer.api.get(`${V1}/bookings/me?when=bogus`);
    checker.check("GET", "/bookings/me", badWhen);
    expectStatus(badWhen, 400);
    expectStatus(await call(anon(), "GET", "/bookings/me"), 401);
  });

  test("refunds and the cancellation policy", async () => {
    const [owner, buyer, other, otherOrganizer] = await Promise.all([signedIn(app, "ORGANIZER"), signedIn(app), signedIn(app), signedIn(app, "ORGANIZER")]);
    const { event, places } = await createTestEvent({ organizer: owner.user, sections: [seats(1, 4, 1500)] });
    const held = await buyer.api.post<Reservation>(`${V1}/events/${event.id}/reservations`, { seatIds: places.slice(0, 3).map((p) => p.id) });
    expectStatus(held, 201);
    const booked = await buyer.api.request<Booking>("POST", `${V1}/bookings/confirm`, {
      json: { reservationId: held.body.id, payment: pay("success") },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    expectStatus(booked, 201);
    const reference = booked.body.reference;
    const [t1, t2] = booked.body.tickets.map((t) => t.id);

    const R = "/bookings/reference/{reference}/refunds";
    const one = { json: { ticketIds: [t1], reason: "Blocked view" } };
    expectStatus(await call(owner.api, "POST", R, { reference }, one), 201);
    expectStatus(await call(owner.api, "POST", R, { reference }, one), 409);
    expectStatus(await call(owner.api, "POST", R, { reference }, { json: { ticketIds: [t2] } }), 400);
    expectStatus(await call(anon(), "POST", R, { reference }, one), 401);
    expectStatus(await call(buyer.api, "POST", R, { reference }, one), 403);
    expectStatus(await call(other.api, "POST", R, { reference }, one), 404);
    expectStatus(await call(owner.api, "POST", R, { reference }, big), 413);
    expectStatus(await call(owner.api, "POST", R, { reference }, textBody), 415);

    const P = "/events/{eventId}/cancellation-policy";
    const id = { eventId: event.id };
    expectStatus(await call(anon(), "GET", P, id), 200);
    expectStatus(await call(anon(), "GET", P, { eventId: "x" }), 400);
    expectStatus(await call(anon(), "GET", P, { eventId: crypto.randomUUID() }), 404);
    const C = "/bookings/reference/{reference}/cancel";
    expectStatus(await call(buyer.api, "POST", C, { reference }), 409); // the policy is off
    const policy = { json: { allowed: true, hoursBefore: 24, feePercent: 10 } };
    expectStatus(await call(owner.api, "PUT", P, id, policy), 200);
    expectStatus(await call(owner.api, "PUT", P, id, { json: { allowed: true } }), 400);
    expectStatus(await call(anon(), "PUT", P, id, policy), 401);
    expectStatus(await call(buyer.api, "PUT", P, id, policy), 403);
    expectStatus(await call(otherOrganizer.api, "PUT", P, id, policy), 404);
    expectStatus(await call(owner.api, "PUT", P, id, big), 413);
    expectStatus(await call(owner.api, "PUT", P, id, textBody), 415);

    const quote = await call<{ allowed: boolean; refundMinor: number }>(buyer.api, "GET", C, { reference });
    expectStatus(quote, 200);
    expect(quote.body).toMatchObject({ allowed: true, refundMinor: 2700 });
    expectStatus(await call(buyer.api, "GET", C, { reference: "x".repeat(40) }), 400);
    expectStatus(await call(anon(), "GET", C, { reference }), 401);
    expectStatus(await call(other.api, "GET", C, { reference }), 404);
    expectStatus(await call(owner.api, "POST", C, { reference }), 403);
    expectStatus(await call(buyer.api, "POST", C, { reference: "x".repeat(40) }), 400);
    expectStatus(await call(anon(), "POST", C, { reference }), 401);
    expectStatus(await call(other.api, "POST", C, { reference }), 404);
    const cancelled = await call<{ amountMinor: number; feeMinor: number; bookingStatus: string }>(buyer.api, "POST", C, { reference });
    expectStatus(cancelled, 200);
    expect(cancelled.body).toMatchObject({ amountMinor: 2700, feeMinor: 300, bookingStatus: "CANCELLED" });
    const after = await call<Booking & { refunds: unknown[] }>(buyer.api, "GET", "/bookings/reference/{reference}", { reference });
    expect(after.body.refunds).toHaveLength(2);
  });

  test("waiting room", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4)] });
    await db().update(events).set({ waitingRoom: true }).where(eq(events.id, event.id));
    const Q = "/events/{eventId}/queue";
    const joined = await call<QueuePlace>(anon(), "POST", Q, { eventId: event.id });
    const visitorToken = joined.body.visitorToken!;
    expectStatus(joined, 200);
    expectStatus(await call(anon(), "GET", Q, { eventId: event.id }, { headers: { "queue-token": visitorToken } }), 200);
    // New places from one address are limited (RATE_LIMIT_QUEUE_JOIN=3/60 here); the known token is not.
    const crowd = anon();
    expectStatus(await untilLimited(3, () => call(crowd, "POST", Q, { eventId: event.id })), 429);
    const again = await crowd.request<QueuePlace>("POST", `${V1}/events/${event.id}/queue`, { headers: { "queue-token": visitorToken } });
    expect(again.status).toBe(200);
    expect(again.body.visitorToken).toBe(visitorToken); // the same place
    for (const method of ["POST", "GET"]) {
      expectStatus(await call(anon(), method, Q, { eventId: "x" }), 400);
      expectStatus(await call(anon(), method, Q, { eventId: crypto.randomUUID() }), 404);
    }
    // Holding without the admission pass while the room is on.
    expectStatus(await call(customer.api, "POST", "/events/{eventId}/reservations", { eventId: event.id }, { json: { seatIds: [places[0].id] } }), 403);
  });

  test("waiting list", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 2)] });
    const [waiter, seller] = await Promise.all([signedIn(app), signedIn(app)]);
    const W = "/events/{eventId}/waitlist";
    const M = "/events/{eventId}/waitlist/me";
    const id = { eventId: event.id };
    expectStatus(await call(waiter.api, "POST", W, id, { json: { quantity: 1 } }), 409); // still on sale
    expectStatus(await seller.api.post(`${V1}/events/${event.id}/reservations`, { seatIds: places.map((p) => p.id) }), 201); // now sold out
    expectStatus(await call(waiter.api, "POST", W, id, { json: { quantity: 1 } }), 201);
    expectStatus(await call(waiter.api, "POST", W, id, { json: { quantity: 1 } }), 200);
    expectStatus(await call(waiter.api, "POST", W, id, { json: { quantity: 0 } }), 400);
    expectStatus(await call(waiter.api, "POST", W, id, { json: { quantity: 50 } }), 422);
    expectStatus(await call(anon(), "POST", W, id, { json: { quantity: 1 } }), 401);
    expectStatus(await call(waiter.api, "POST", W, { eventId: crypto.randomUUID() }, { json: { quantity: 1 } }), 404);
    expectStatus(await call(waiter.api, "POST", W, id, big), 413);
    expectStatus(await call(waiter.api, "POST", W, id, textBody), 415);
    const mine = await call(waiter.api, "GET", M, id);
    expectStatus(mine, 200);
    expect(mine.body).toMatchObject({ status: "WAITING", position: 1, quantity: 1 });
    expectStatus(await call(waiter.api, "GET", M, { eventId: "x" }), 400);
    expectStatus(await call(anon(), "GET", M, id), 401);
    expectStatus(await call(seller.api, "GET", M, id), 404);
    expectStatus(await call(admin.api, "GET", W, id), 200);
    expectStatus(await call(admin.api, "GET", W, { eventId: "x" }), 400);
    expectStatus(await call(anon(), "GET", W, id), 401);
    expectStatus(await call(waiter.api, "GET", W, id), 404);
    expectStatus(await call(waiter.api, "DELETE", M, id), 204);
    expectStatus(await call(waiter.api, "DELETE", M, { eventId: "x" }), 400);
    expectStatus(await call(anon(), "DELETE", M, id), 401);
    expect((await waiter.api.get(`${V1}/events/${event.id}/waitlist/me`)).body).toMatchObject({ status: "LEFT" });
  });

  test("box office", async () => {
    const { event, places, sections } = await createTestEvent({ sections: [seats(1, 4), ga(2)] });
    const staff = await signedIn(app, "ADMIN");
    const O = "/events/{eventId}/box-office/orders";
    const id = { eventId: event.id };
    const order = (extra: object) => ({ json: { customer: { email: `desk-${crypto.randomUUID().slice(0, 8)}@example.test` }, method: "CASH", ...extra } });
    const sold = await call<{ amountMinor: number; method: string }>(staff.api, "POST", O, id, order({ seatIds: [places[0].id] }));
    expectStatus(sold, 201);
    expect(sold.body).toMatchObject({ method: "CASH", amountMinor: 1000 });
    const comp = await call<{ amountMinor: number }>(staff.api, "POST", O, id, order({ method: "COMPLIMENTARY", sectionId: sections[1].id, quantity: 1 }));
    expectStatus(comp, 201);
    expect(comp.body.amountMinor).toBe(0);
    const taken = await call<Problem>(staff.api, "POST", O, id, order({ seatIds: [places[0].id] }));
    expectStatus(taken, 409);
    expect(taken.body).toMatchObject({ code: "seat_taken", takenSeatIds: [places[0].id] });
    const bad = await call<Problem>(staff.api, "POST", O, id, { json: { customer: { email: "nope" }, method: "BARTER", seatIds: [places[1].id] } });
    expectStatus(bad, 400);
    expect(Object.keys(bad.body.fields ?? {})).toEqual(expect.arrayContaining(["customer.email", "method"]));
    expectStatus(await call(staff.api, "POST", O, { eventId: "x" }, order({ seatIds: [places[1].id] })), 400);
    expectStatus(await call(anon(), "POST", O, id, order({ seatIds: [places[1].id] })), 401);
    expectStatus(await call(customer.api, "POST", O, id, order({ seatIds: [places[1].id] })), 403);
    expectStatus(await call(organizer.api, "POST", O, id, order({ seatIds: [places[1].id] })), 404); // not their event
    expectStatus(await call(staff.api, "POST", O, { eventId: crypto.randomUUID() }, order({ seatIds: [places[1].id] })), 404);
    expectStatus(await call(staff.api, "POST", O, id, big), 413);
    expectStatus(await call(staff.api, "POST", O, id, textBody), 415);
  });

  test("house seats", async () => {
    const { event, places, sections } = await createTestEvent({ sections: [seats(1, 4), ga(3)] });
    const staff = await signedIn(app, "ADMIN");
    const B = "/events/{eventId}/blocks";
    const R = "/events/{eventId}/blocks/release";
    const id = { eventId: event.id };
    const blocked = await call<{ blocked: number; skipped: unknown[] }>(staff.api, "POST", B, id, {
      json: { seatIds: [places[0].id, places[1].id], reason: "Press" },
    });
    expectStatus(blocked, 200);
    expect(blocked.body).toEqual({ blocked: 2, skipped: [] });
    const list = await call<{ blocks: { reason: string; count: number }[] }>(staff.api, "GET", B, id);
    expectStatus(list, 200);
    expect(list.body.blocks).toEqual([expect.objectContaining({ reason: "Press", count: 2 })]);
    const tooMany = await call<Problem>(staff.api, "POST", B, id, { json: { sectionId: sections[1].id, quantity: 4, reason: "House" } });
    expectStatus(tooMany, 409);
    expect(tooMany.body).toMatchObject({ code: "conflict", available: 3 });
    const released = await call<{ released: number }>(staff.api, "POST", R, id, { json: { seatIds: [places[0].id] } });
    expectStatus(released, 200);
    expect(released.body.released).toBe(1);
    expectStatus(await call(staff.api, "POST", B, id, { json: { seatIds: [places[2].id], reason: " " } }), 400);
    expectStatus(await call(staff.api, "POST", R, id, { json: {} }), 400);
    expectStatus(await call(staff.api, "GET", B, { eventId: "x" }), 400);
    for (const [method, path, body] of [
      ["GET", B, undefined],
      ["POST", B, { seatIds: [places[2].id], reason: "House" }],
      ["POST", R, { seatIds: [places[1].id] }],
    ] as const) {
      const opts = body ? { json: body } : {};
      expectStatus(await call(anon(), method, path, id, opts), 401);
      expectStatus(await call(customer.api, method, path, id, opts), 403);
      expectStatus(await call(organizer.api, method, path, id, opts), 404); // not their event
    }
    for (const path of [B, R]) {
      expectStatus(await call(staff.api, "POST", path, id, big), 413);
      expectStatus(await call(staff.api, "POST", path, id, textBody), 415);
    }
    // A closed event's places no longer change.
    await db().update(events).set({ status: "CANCELLED" }).where(eq(events.id, event.id));
    expectStatus(await call(staff.api, "POST", B, id, { json: { seatIds: [places[3].id], reason: "House" } }), 409);
    expectStatus(await call(staff.api, "POST", R, id, { json: { seatIds: [places[1].id] } }), 409);
  });

  test("ticket types", async () => {
    const { event, places, sections } = await createTestEvent({ sections: [seats(1, 6, 4000), ga(4, 2500)] });
    // Principals of their own: every endpoint counts requests per client address (RATE_LIMIT_API).
    const [staff, someCustomer, someOrganizer] = await Promise.all([signedIn(app, "ADMIN"), signedIn(app), signedIn(app, "ORGANIZER")]);
    const L = "/events/{eventId}/ticket-types";
    const T = "/events/{eventId}/ticket-types/{typeId}";
    const R = "/events/{eventId}/ticket-types/{typeId}/retire";
    const id = { eventId: event.id };
    const body = (name: string, priceMinor: number, extra: object = {}) => ({
      json: { name, prices: [{ sectionId: sections[0].id, priceMinor }], ...extra },
    });
    const adult = await call<{ id: string; prices: unknown[] }>(staff.api, "POST", L, id, body("Adult", 4000));
    expectStatus(adult, 201);
    const child = await call<{ id: string }>(staff.api, "POST", L, id, body("Child", 2000, { note: "Under 14", sortOrder: 1, limit: 1 }));
    expectStatus(child, 201);
    const list = await call<{ items: { name: string }[] }>(staff.api, "GET", L, id);
    expectStatus(list, 200);
    expect(list.body.items.map((t) => t.name)).toEqual(["Adult", "Child"]);
    const typeId = { ...id, typeId: child.body.id };
    expectStatus(await call(staff.api, "PUT", T, typeId, body("Child", 2200, { note: "Under 14", sortOrder: 1, limit: 1 })), 200);
    // Customers see the types on the event, and choose one per place when paying.
    const detail = await anon().get<{ ticketTypes: { name: string; prices: { priceMinor: number }[] }[] }>(`${V1}/events/${event.id}`);
    checker.check("GET", "/events/{eventId}", detail);
    expect(detail.body.ticketTypes.map((t) => [t.name, t.prices[0].priceMinor])).toEqual([
      ["Adult", 4000],
      ["Child", 2200],
    ]);
    const buyer = await signedIn(app);
    const held = await buyer.api.post<Reservation>(`${V1}/events/${event.id}/reservations`, { seatIds: [places[0].id, places[1].id] });
    expectStatus(held, 201);
    const choose = (typeIds: string[]) => held.body.items.map((it, i) => ({ inventoryId: it.inventoryId, ticketTypeId: typeIds[i] }));
    const confirm = (ticketTypes: unknown) =>
      call<Booking>(
        buyer.api,
        "POST",
        "/bookings/confirm",
        {},
        {
          json: { reservationId: held.body.id, payment: pay("success"), ticketTypes },
          headers: { "idempotency-key": crypto.randomUUID() },
        },
      );
    const over = await confirm(choose([child.body.id, child.body.id]));
    expectStatus(over, 409);
    expect(over.body).toMatchObject({ code: "sold_out", available: 1 });
    const wrong = await confirm([{ inventoryId: places[5].id, ticketTypeId: adult.body.id }]);
    expectStatus(wrong, 400);
    expect(Object.keys((wrong.body as unknown as Problem).fields ?? {})).toEqual(["ticketTypes"]);
    const paid = await confirm(choose([adult.body.id, child.body.id]));
    expectStatus(paid, 201);
    expect(paid.body.amountMinor).toBe(6200);
    expect(paid.body.tickets.map((t) => [t.ticketTypeName, t.priceMinor])).toEqual([
      ["Adult", 4000],
      ["Child", 2200],
    ]);
    // Field-level refusals; a limit below what is sold.
    const bad = await call<Problem>(staff.api, "POST", L, id, { json: { name: "", prices: [{ sectionId: "x", priceMinor: -1 }] } });
    expectStatus(bad, 400);
    expect(Object.keys(bad.body.fields ?? {})).toEqual(expect.arrayContaining(["name", "prices.0.sectionId", "prices.0.priceMinor"]));
    expectStatus(await call(staff.api, "PUT", T, typeId, body("Child", 2200, { limit: 0 })), 400);
    expectStatus(await call(staff.api, "GET", L, { eventId: "x" }), 400);
    expectStatus(await call(staff.api, "POST", R, { ...id, typeId: "x" }), 400);
    expectStatus(await call(staff.api, "PUT", T, { ...id, typeId: crypto.randomUUID() }, body("Nobody", 1)), 404);
    expectStatus(await call(staff.api, "POST", R, { ...id, typeId: crypto.randomUUID() }), 404);
    const retired = await call<{ retiredAt: string | null }>(staff.api, "POST", R, typeId);
    expectStatus(retired, 200);
    expect(retired.body.retiredAt).toEqual(expect.any(String));
    expectStatus(await call(staff.api, "PUT", T, typeId, body("Child", 2200)), 409); // retired
    for (const [method, path, params, opts] of [
      ["GET", L, id, {}],
      ["POST", L, id, body("Student", 1000)],
      ["PUT", T, { ...id, typeId: adult.body.id }, body("Adult", 4100)],
      ["POST", R, { ...id, typeId: adult.body.id }, {}],
    ] as const) {
      expectStatus(await call(anon(), method, path, params, opts), 401);
      expectStatus(await call(someCustomer.api, method, path, params, opts), 403);
      expectStatus(await call(someOrganizer.api, method, path, params, opts), 404); // not their event
    }
    for (const [method, path, params] of [
      ["POST", L, id],
      ["PUT", T, { ...id, typeId: adult.body.id }],
    ] as const) {
      expectStatus(await call(staff.api, method, path, params, big), 413);
      expectStatus(await call(staff.api, method, path, params, textBody), 415);
    }
    // A closed event's types no longer change.
    await db().update(events).set({ status: "CANCELLED" }).where(eq(events.id, event.id));
    expectStatus(await call(staff.api, "POST", L, id, body("Late", 1000)), 409);
    expectStatus(await call(staff.api, "PUT", T, { ...id, typeId: adult.body.id }, body("Adult", 1)), 409);
    expectStatus(await call(staff.api, "POST", R, { ...id, typeId: adult.body.id }), 409);
  });

  test("promo codes", async () => {
    const { event, places, sections } = await createTestEvent({ sections: [seats(1, 6, 4000)] });
    const [staff, someCustomer, someOrganizer] = await Promise.all([signedIn(app, "ADMIN"), signedIn(app), signedIn(app, "ORGANIZER")]);
    const L = "/events/{eventId}/promo-codes";
    const D = "/events/{eventId}/promo-codes/{codeId}/deactivate";
    const id = { eventId: event.id };
    const made = await call<{ id: string; used: number }>(staff.api, "POST", L, id, {
      json: { code: "Half", kind: "PERCENT", amount: 50, maxUses: 1, sectionIds: [sections[0].id] },
    });
    expectStatus(made, 201);
    const list = await call<{ items: { code: string }[] }>(staff.api, "GET", L, id);
    expectStatus(list, 200);
    expect(list.body.items.map((c) => c.code)).toEqual(["Half"]);
    // The customer pays with it at confirm (any case); the booking shows it.
    const buyer = await signedIn(app);
    const held = await buyer.api.post<Reservation>(`${V1}/events/${event.id}/reservations`, { seatIds: [places[0].id] });
    expectStatus(held, 201);
    const confirm = (promoCode: string) =>
      call<Booking>(
        buyer.api,
        "POST",
        "/bookings/confirm",
        {},
        { json: { reservationId: held.body.id, payment: pay("success"), promoCode }, headers: { "idempotency-key": crypto.randomUUID() } },
      );
    const unknown = await confirm("NOPE");
    expectStatus(unknown, 400);
    expect(Object.keys((unknown.body as unknown as Problem).fields ?? {})).toEqual(["promoCode"]);
    const paid = await confirm("half");
    expectStatus(paid, 201);
    expect(paid.body).toMatchObject({ amountMinor: 2000, promo: { code: "Half", discountMinor: 2000 } });
    const again = await buyer.api.get<Booking>(`${V1}/bookings/reference/${paid.body.reference}`);
    expect(again.body.promo).toEqual({ code: "Half", discountMinor: 2000 });
    // Field-level refusals, a duplicate in another case, bad ids, unknown codes.
    const bad = await call<Problem>(staff.api, "POST", L, id, { json: { code: "x", kind: "PERCENT", amount: 120 } });
    expectStatus(bad, 400);
    expect(Object.keys(bad.body.fields ?? {})).toEqual(expect.arrayContaining(["code", "amount"]));
    expectStatus(await call(staff.api, "POST", L, id, { json: { code: "HALF", kind: "FIXED", amount: 100 } }), 400);
    expectStatus(await call(staff.api, "GET", L, { eventId: "x" }), 400);
    expectStatus(await call(staff.api, "POST", D, { ...id, codeId: "x" }), 400);
    expectStatus(await call(staff.api, "POST", D, { ...id, codeId: crypto.randomUUID() }), 404);
    const off = await call<{ active: boolean }>(staff.api, "POST", D, { ...id, codeId: made.body.id });
    expectStatus(off, 200);
    expect(off.body.active).toBe(false);
    for (const [method, path, params, opts] of [
      ["GET", L, id, {}],
      ["POST", L, id, { json: { code: "OTHER", kind: "PERCENT", amount: 5 } }],
      ["POST", D, { ...id, codeId: made.body.id }, {}],
    ] as const) {
      expectStatus(await call(anon(), method, path, params, opts), 401);
      expectStatus(await call(someCustomer.api, method, path, params, opts), 403);
      expectStatus(await call(someOrganizer.api, method, path, params, opts), 404); // not their event
    }
    expectStatus(await call(staff.api, "POST", L, id, big), 413);
    expectStatus(await call(staff.api, "POST", L, id, textBody), 415);
    await db().update(events).set({ status: "CANCELLED" }).where(eq(events.id, event.id));
    expectStatus(await call(staff.api, "POST", L, id, { json: { code: "LATE", kind: "PERCENT", amount: 5 } }), 409);
  });

  test("system", async () => {
    expectStatus(await call(anon(), "GET", "/health"), 200);
    expectStatus(await call(anon(), "GET", "/openapi.json"), 200);
  });

  test("503 while PostgreSQL (and Redis) are unreachable", async () => {
    const down = new ApiClient(outage.url, null, undefined, false);
    const token = customer.token;
    const staff = admin.token;
    const someId = crypto.randomUUID();
    const ids = {
      eventId: someId,
      venueId: someId,
      reservationId: someId,
      ticketId: someId,
      typeId: someId,
      codeId: someId,
      userId: customer.user.id,
      reference: "ABCD-EFGH",
    };
    const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.responses?.["503"])
        .map(([method, op]) => ({ path, method: method.toUpperCase(), hasBody: !!op.requestBody })),
    );
    // Valid bodies: a request is checked before anything is read (identity comes from the token
    // itself), so bad input is a 400 whether or not the database is there.
    const samples: Record<string, unknown> = {
      "POST /auth/register": { email: "x@example.test", password: TEST_PASSWORD, name: "X" },
      "POST /auth/login": { email: "x@example.test", password: TEST_PASSWORD },
      "POST /events": sampleEventBody(),
      "POST /venues": sampleVenueBody(),
      "POST /events/{eventId}/reservations": { seatIds: [1] },
      "POST /events/{eventId}/waitlist": { quantity: 1 },
      "POST /bookings/confirm": { reservationId: someId, payment: pay("success") },
      "POST /bookings/reference/{reference}/refunds": { reason: "Outage test" },
      "PUT /events/{eventId}/cancellation-policy": { allowed: false },
      "POST /events/{eventId}/box-office/orders": { customer: { email: "desk@example.test" }, method: "CASH", seatIds: [1] },
      "POST /events/{eventId}/blocks": { seatIds: [1], reason: "House" },
      "POST /events/{eventId}/blocks/release": { seatIds: [1] },
      "POST /events/{eventId}/ticket-types": { name: "Adult", prices: [{ sectionId: someId, priceMinor: 1000 }] },
      "PUT /events/{eventId}/ticket-types/{typeId}": { name: "Adult", prices: [{ sectionId: someId, priceMinor: 1000 }] },
      "POST /events/{eventId}/promo-codes": { code: "OUTAGE", kind: "PERCENT", amount: 10 },
    };
    const staffOnly = (path: string, method: string) =>
      path.startsWith("/venues") ||
      (path === "/events" && method === "POST") ||
      /\/(refunds|cancellation-policy|box-office|blocks|ticket-types|promo-codes)/.test(path);
    await Promise.all(
      operations.map(async ({ path, method, hasBody }) => {
        const sample = samples[`${method} ${path}`];
        if (hasBody) expect(sample, `a valid sample body for ${method} ${path}`).toBeDefined();
        const url = V1 + path.replace(/\{(\w+)\}/g, (_, k) => (ids as Record<string, string>)[k]);
        const res = await down.request(method, url, {
          token: staffOnly(path, method) ? staff : token,
          ...(hasBody ? { json: sample } : {}),
          headers: { "idempotency-key": crypto.randomUUID() },
        });
        checker.check(method, path, res);
        expect(res.status, `${method} ${path}: ${res.text.slice(0, 200)}`).toBe(503);
      }),
    );
  });

  test("every endpoint counted per client address answers its documented 429 (lib/api/limits.ts)", async () => {
    const fill = (name: string) => (name === "reference" ? "ABCD-EFGH" : crypto.randomUUID());
    for (const [key, limit] of Object.entries(ROUTE_LIMITS)) {
      if (!("policy" in limit) || checker.covered.has(`${key} 429`)) continue;
      const [method, template] = key.split(" ");
      const client = anon(); // a fresh client address
      const params = Object.fromEntries([...template.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, fill(name)]));
      const opts = method === "GET" || method === "DELETE" ? {} : { json: {} };
      expectStatus(await untilLimited(30, () => call(client, method, template, params, opts)), 429);
    }
  }, 120_000);

  test("every documented response was produced", () => {
    const missing = checker.documented().filter((d) => !checker.covered.has(d));
    expect(missing).toEqual([]);
  });
});

describe("the docs page", () => {
  test("serves Swagger UI from our own origin under the page CSP", async () => {
    const res = await anon().get("/api/docs");
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/html/);
    const nonce = res.headers.get("content-security-policy")!.match(/'nonce-([^']+)'/)![1];
    const scripts = [...res.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) {
      expect(attrs).toContain(`nonce="${nonce}"`);
      expect(attrs).toMatch(/src="\/api\/docs\//);
    }
    expect(res.text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    for (const [asset, type] of [
      ["swagger-ui-bundle.js", "javascript"],
      ["swagger-ui.css", "css"],
      ["docs-init.js", "javascript"],
    ]) {
      const file = await anon().get(`/api/docs/${asset}`);
      expect(file.status, asset).toBe(200);
      expect(file.contentType).toContain(type);
    }
    expect((await anon().get("/api/docs/..%2Fpackage.json")).status).toBe(404);
  });
});
