import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bumpSessionVersion } from "@/lib/auth/users";
import { ApiClient, isProblem, sampleEventBody, signedIn, startApiApp, type Principal } from "@/tests/helpers/api";
import type { App } from "@/tests/helpers/app";
import { TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { card } from "@/tests/helpers/payments";
import type { Booking, EventDetail, EventSummary, Page, Reservation, SeatLayout, Token } from "@/tests/helpers/responses";

// Black-box: the whole customer journey over HTTP against `next start`, and how the API treats
// bad input (problem+json with per-field reasons, 413, 415, never a 500).

let app: App;
let organizer: Principal;
const anon = () => new ApiClient(app.url);

beforeAll(async () => {
  app = await startApiApp();
  organizer = await signedIn(app, "ORGANIZER");
});

afterAll(async () => {
  await app?.stop();
});

describe("the whole flow over HTTP", () => {
  test("register → login → list events → reserve → confirm → booking by reference", async () => {
    // The organizer publishes an event through the API.
    const created = await organizer.api.post<EventDetail>("/api/v1/events", sampleEventBody());
    expect(created.status, created.text).toBe(201);
    const eventId = created.body.id;
    expect(created.headers.get("location")).toBe(`/api/v1/events/${eventId}`);

    // A customer signs up and signs in.
    const client = anon();
    const { res: registered, input } = await client.register({ name: "Ada Flow" });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ email: input.email, name: "Ada Flow", role: "CUSTOMER" });
    expect(registered.text).not.toMatch(/password|hash/i);
    const login = await client.post<Token>("/api/v1/auth/login", { email: input.email.toUpperCase(), password: input.password });
    expect(login.status).toBe(200);
    expect(login.headers.get("cache-control")).toBe("no-store");
    expect(new Date(login.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    expect(login.body.user.id).toBe(registered.body.id);
    const me = client.as(login.body.token);
    const profile = await me.get("/api/v1/auth/profile");
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual(registered.body);

    // Browse: the event is listed, searchable and on sale.
    const list = await me.get<Page<EventSummary>>(`/api/v1/events?status=on_sale&q=${encodeURIComponent(created.body.title)}`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ page: 1, total: 1, totalPages: 1 });
    expect(list.body.items.map((e) => e.id)).toEqual([eventId]);
    const detail = await me.get<EventDetail>(`/api/v1/events/${eventId}`);
    expect(detail.body.sections.map((s) => s.name)).toEqual(["Stalls", "Floor"]);
    const layout = await me.get<SeatLayout>(`/api/v1/events/${eventId}/seats`);
    expect(layout.status).toBe(200);

    // Reserve two seats.
    const seatIds = layout.body.ids.slice(0, 2);
    const held = await me.post<Reservation>(`/api/v1/events/${eventId}/reservations`, { seatIds });
    expect(held.status, held.text).toBe(201);
    expect(held.body).toMatchObject({ eventId, status: "ACTIVE", quantity: 2, amountMinor: 5000, currency: "EUR" });
    expect(new Date(held.body.expiresAt).getTime()).toBeGreaterThan(Date.now());

    // Confirm with a test card; a retry with the same key gets the same bytes.
    const key = crypto.randomUUID();
    const confirmBody = { reservationId: held.body.id, payment: { method: "mock", card: card() } };
    const confirmed = await me.post<Booking>("/api/v1/bookings/confirm", confirmBody, { headers: { "idempotency-key": key } });
    expect(confirmed.status, confirmed.text).toBe(201);
    expect(confirmed.body).toMatchObject({ eventId, status: "CONFIRMED", amountMinor: 5000 });
    expect(confirmed.body.tickets).toHaveLength(2);
    const replay = await me.post("/api/v1/bookings/confirm", confirmBody, { headers: { "idempotency-key": key } });
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(confirmed.text);

    // The booking by reference: the customer's own, and nobody else's.
    const reference = confirmed.body.reference;
    const byRef = await me.get<Booking>(`/api/v1/bookings/reference/${encodeURIComponent(reference)}`);
    expect(byRef.status).toBe(200);
    expect(byRef.body.id).toBe(confirmed.body.id);
    const stranger = await signedIn(app);
    const probe = await stranger.api.get(`/api/v1/bookings/reference/${encodeURIComponent(reference)}`);
    expect(probe.status).toBe(404);
    const mine = await me.get("/api/v1/bookings/me");
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).toContain(confirmed.body.id);

    // The seats are sold now.
    const again = await stranger.api.post(`/api/v1/events/${eventId}/reservations`, { seatIds });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("seat_taken");
  });

  test("drafts are visible to their organizer and admins only", async () => {
    const draft = await organizer.api.post<EventDetail>("/api/v1/events", sampleEventBody({ publish: false }));
    expect(draft.status).toBe(201);
    expect(draft.body.publishedAt).toBeNull();
    const path = `/api/v1/events/${draft.body.id}`;
    const [admin, otherOrganizer] = await Promise.all([signedIn(app, "ADMIN"), signedIn(app, "ORGANIZER")]);
    expect((await organizer.api.get(path)).status).toBe(200);
    expect((await admin.api.get(path)).status).toBe(200);
    expect((await otherOrganizer.api.get(path)).status).toBe(404);
    expect((await anon().get(path)).status).toBe(404);
    const listed = await anon().get<Page<EventSummary>>(`/api/v1/events?q=${encodeURIComponent(draft.body.title)}`);
    expect(listed.body.total).toBe(0);
  });

  test("pages through events with the envelope", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    for (let i = 0; i < 3; i++) {
      const r = await organizer.api.post("/api/v1/events", sampleEventBody({ title: `Paging ${tag} ${i}` }));
      expect(r.status).toBe(201);
    }
    const page2 = await anon().get<Page<EventSummary>>(`/api/v1/events?q=${tag}&page=2&pageSize=2`);
    expect(page2.status).toBe(200);
    expect(page2.body).toMatchObject({ page: 2, pageSize: 2, total: 3, totalPages: 2 });
    expect(page2.body.items).toHaveLength(1);
  });
});

describe("bad input is answered as problem+json, never 500", () => {
  test("unknown fields are rejected and named", async () => {
    const res = await anon().post("/api/v1/auth/register", { email: "a@example.test", password: TEST_PASSWORD, name: "A", role: "ADMIN" });
    expect(res.status).toBe(400);
    expect(isProblem(res)).toBe(true);
    expect(res.body.code).toBe("validation_failed");
    expect(res.body.fields).toEqual({ role: ["Unknown field"] });
  });

  test("field names that shadow Object.prototype stay plain data", async () => {
    const res = await anon().request("POST", "/api/v1/auth/login", {
      body: '{"email":"a@example.test","password":"x","valueOf":1,"constructor":2,"__proto__":3}',
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fields ?? {}).sort()).toEqual(["__proto__", "constructor", "valueOf"]);
  });

  test("each invalid field gets its own reason, also inside a union", async () => {
    const res = await organizer.api.post(
      "/api/v1/events",
      sampleEventBody({ title: "", holdMinutes: 0, sections: [{ kind: "GA", name: "Floor", capacity: -1, priceMinor: 1 }] }),
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fields ?? {}).sort()).toEqual(["holdMinutes", "sections.0.capacity", "title"]);
    const times = await organizer.api.post("/api/v1/events", sampleEventBody({ endsAt: "2000-01-01T00:00:00Z" }));
    expect(times.status).toBe(400);
    expect(times.body.fields?.endsAt).toBeTruthy();
  });

  test("malformed JSON, an empty body, a wrong content type and a huge body", async () => {
    const raw = (body: string, type = "application/json") => anon().request("POST", "/api/v1/auth/login", { body, headers: { "content-type": type } });
    const malformed = await raw("{nope");
    expect([malformed.status, malformed.body.code]).toEqual([400, "validation_failed"]);
    const empty = await raw("");
    expect([empty.status, empty.body.code]).toEqual([400, "validation_failed"]);
    const text = await raw(JSON.stringify({ email: "a@b.c", password: "x" }), "text/plain");
    expect([text.status, text.body.code]).toEqual([415, "unsupported_media_type"]);
    const form = await raw("email=a", "application/x-www-form-urlencoded");
    expect(form.status).toBe(415);
    const huge = await anon().post("/api/v1/auth/register", { email: "a@b.c", password: TEST_PASSWORD, name: "x".repeat(100 * 1024) });
    expect([huge.status, huge.body.code]).toEqual([413, "payload_too_large"]);
    for (const r of [malformed, empty, text, form, huge]) expect(isProblem(r)).toBe(true);
  });

  test("NUL characters are refused as input, not passed to the database", async () => {
    const res = await anon().post("/api/v1/auth/register", { email: "nul@example.test", password: TEST_PASSWORD, name: "a\u0000b" });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ name: ["Text may not contain NUL characters"] });
    const q = await anon().get("/api/v1/events?q=%00");
    expect(q.status).toBe(400);
  });

  test("unknown API paths answer problem+json 404", async () => {
    const res = await anon().get("/api/v1/no/such/thing");
    expect(res.status).toBe(404);
    expect(isProblem(res)).toBe(true);
  });
});

describe("accounts and tokens", () => {
  test("wrong credentials say nothing about which part was wrong", async () => {
    const client = anon();
    const { input } = await client.register();
    const wrongPassword = await client.post("/api/v1/auth/login", { email: input.email, password: "wrong-password-1" });
    const unknownEmail = await anon().post("/api/v1/auth/login", { email: `nobody-${crypto.randomUUID()}@example.test`, password: input.password });
    for (const r of [wrongPassword, unknownEmail]) {
      expect(r.status).toBe(401);
      expect(r.body.code).toBe("invalid_credentials");
      expect(r.body.fields).toBeUndefined();
    }
    const { instance: _a, ...a } = wrongPassword.body;
    const { instance: _b, ...b } = unknownEmail.body;
    expect(a).toEqual(b);
  });

  test("a duplicate email (any case) is 409 email_taken on the email field", async () => {
    const { input } = await anon().register();
    const dup = await anon().post("/api/v1/auth/register", { ...input, email: input.email.toUpperCase() });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe("email_taken");
    expect(dup.body.fields?.email).toHaveLength(1);
  });

  test("a bad or revoked token is 401 with WWW-Authenticate; no token is 401 too", async () => {
    const who = await signedIn(app);
    const bad = await anon().get("/api/v1/auth/profile", { token: who.token.slice(0, -4) + "AAAA" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await anon().get("/api/v1/auth/profile")).status).toBe(401);
    expect((await who.api.get("/api/v1/auth/profile")).status).toBe(200);
    await bumpSessionVersion(who.user.id); // "sign out everywhere"
    expect((await who.api.get("/api/v1/auth/profile")).status).toBe(401);
    expect(await anon().login(who.user.email, TEST_PASSWORD)).toBeTruthy();
  });
});
