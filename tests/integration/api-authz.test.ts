import crypto from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { ApiClient, isProblem, sampleEventBody, sampleVenueBody, signedIn, startApiApp, type Principal } from "@/tests/helpers/api";
import type { App } from "@/tests/helpers/app";
import { uniqueEmail, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { pay } from "@/tests/helpers/payments";
import type { Booking, EventDetail, Reservation, SeatLayout, Venue } from "@/tests/helpers/responses";

// The authorisation matrix: every /api/v1 operation × anonymous / customer / other customer /
// organizer / other organizer / admin, with the exact status each must get. Someone else's
// reservation or booking answers 404 (never 403), so ids cannot be probed. The owner goes last
// in each row, so destructive calls by others are tried before the owner's own.

type Who = "anonymous" | "otherCustomer" | "organizer" | "otherOrganizer" | "admin" | "customer";
const ORDER: Who[] = ["anonymous", "otherCustomer", "organizer", "otherOrganizer", "admin", "customer"];

type Row = {
  method: string;
  template: string;
  path: () => string;
  body?: (who: Who) => unknown;
  headers?: () => Record<string, string>;
  expect: Record<Who, number>;
};

let app: App;
let p: Record<Exclude<Who, "anonymous">, Principal>;
const f: Record<string, string> = {}; // fixture ids made through the API
const seatsFor: Record<string, number> = {};
const boxOfficeSeatsFor: Record<string, number> = {};
const blockSeatsFor: Record<string, number> = {};

const all = (status: number): Record<Who, number> => ({
  anonymous: status,
  customer: status,
  otherCustomer: status,
  organizer: status,
  otherOrganizer: status,
  admin: status,
});
const signedInOnly = (status: number) => ({ ...all(status), anonymous: 401 });

function client(who: Who): ApiClient {
  return who === "anonymous" ? new ApiClient(app.url) : p[who].api;
}

async function ok<T>(res: Promise<{ status: number; text: string; body: T }>, status: number): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`setup expected ${status}, got ${r.status}: ${r.text}`);
  return r.body;
}

beforeAll(async () => {
  app = await startApiApp();
  const [customer, otherCustomer, organizer, otherOrganizer, admin] = await Promise.all([
    signedIn(app),
    signedIn(app),
    signedIn(app, "ORGANIZER"),
    signedIn(app, "ORGANIZER"),
    signedIn(app, "ADMIN"),
  ]);
  p = { customer, otherCustomer, organizer, otherOrganizer, admin };
  const create = (overrides = {}) => ok(organizer.api.post<EventDetail>("/api/v1/events", sampleEventBody(overrides)), 201);
  const [published, draft, holdEvent, mine, toConfirm, booked, refundable] = await Promise.all([
    create(),
    create({ publish: false }),
    create(),
    create(),
    create(),
    create(),
    create(),
  ]);
  Object.assign(f, { published: published.id, draft: draft.id, holdEvent: holdEvent.id, mine: mine.id, toConfirm: toConfirm.id, booked: booked.id });
  const seatIds = async (eventId: string) => (await ok(customer.api.get<SeatLayout>(`/api/v1/events/${eventId}/seats`), 200)).ids;
  const holdIds = await seatIds(holdEvent.id);
  ORDER.forEach((who, i) => (seatsFor[who] = holdIds[i]));
  const boxIds = await seatIds(published.id);
  ORDER.forEach((who, i) => (boxOfficeSeatsFor[who] = boxIds[i]));
  const blockIds = await seatIds(booked.id); // its first seat is bought below
  ORDER.forEach((who, i) => (blockSeatsFor[who] = blockIds[i + 1]));
  f.reservation = (await ok(customer.api.post<Reservation>(`/api/v1/events/${mine.id}/reservations`, { seatIds: [(await seatIds(mine.id))[0]] }), 201)).id;
  f.toConfirmReservation = (
    await ok(customer.api.post<Reservation>(`/api/v1/events/${toConfirm.id}/reservations`, { seatIds: [(await seatIds(toConfirm.id))[0]] }), 201)
  ).id;
  const bookedHold = await ok(customer.api.post<Reservation>(`/api/v1/events/${booked.id}/reservations`, { seatIds: [(await seatIds(booked.id))[0]] }), 201);
  const booking = await ok(
    customer.api.post<Booking>(
      "/api/v1/bookings/confirm",
      { reservationId: bookedHold.id, payment: pay() },
      { headers: { "idempotency-key": crypto.randomUUID() } },
    ),
    201,
  );
  f.reference = booking.reference;
  f.ticket = booking.tickets[0].id;
  const refundHold = await ok(
    customer.api.post<Reservation>(`/api/v1/events/${refundable.id}/reservations`, { seatIds: [(await seatIds(refundable.id))[0]] }),
    201,
  );
  const toRefund = await ok(
    customer.api.post<Booking>(
      "/api/v1/bookings/confirm",
      { reservationId: refundHold.id, payment: pay() },
      { headers: { "idempotency-key": crypto.randomUUID() } },
    ),
    201,
  );
  f.refundReference = toRefund.reference;
  f.refundTicket = toRefund.tickets[0].id;
  f.venue = (await ok(admin.api.post<Venue>("/api/v1/venues", sampleVenueBody()), 201)).id;
  f.section = published.sections[0].id;
  f.ticketType = (
    await ok(
      organizer.api.post<{ id: string }>(`/api/v1/events/${published.id}/ticket-types`, {
        name: "Adult",
        prices: [{ sectionId: f.section, priceMinor: 1000 }],
      }),
      201,
    )
  ).id;
  f.promoCode = (
    await ok(organizer.api.post<{ id: string }>(`/api/v1/events/${published.id}/promo-codes`, { code: "MATRIX", kind: "PERCENT", amount: 10 }), 201)
  ).id;
});

afterAll(async () => {
  await app?.stop();
});

const rows: Row[] = [
  {
    method: "POST",
    template: "/auth/register",
    path: () => "/auth/register",
    body: () => ({ email: uniqueEmail("matrix"), password: TEST_PASSWORD, name: "M" }),
    expect: all(201),
  },
  {
    method: "POST",
    template: "/auth/login",
    path: () => "/auth/login",
    body: () => ({ email: p.customer.user.email, password: TEST_PASSWORD }),
    expect: all(200),
  },
  { method: "GET", template: "/auth/profile", path: () => "/auth/profile", expect: signedInOnly(200) },
  { method: "GET", template: "/events", path: () => "/events", expect: all(200) },
  {
    method: "POST",
    template: "/events",
    path: () => "/events",
    body: () => sampleEventBody(),
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 201, otherOrganizer: 201, admin: 201 },
  },
  { method: "GET", template: "/events/{eventId}", path: () => `/events/${f.published}`, expect: all(200) },
  {
    method: "GET",
    template: "/events/{eventId}",
    path: () => `/events/${f.draft}`,
    expect: { anonymous: 404, customer: 404, otherCustomer: 404, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  { method: "GET", template: "/events/{eventId}/inventory", path: () => `/events/${f.published}/inventory`, expect: all(200) },
  { method: "GET", template: "/events/{eventId}/inventory", path: () => `/events/${f.draft}/inventory`, expect: all(404) },
  { method: "GET", template: "/events/{eventId}/seats", path: () => `/events/${f.published}/seats`, expect: all(200) },
  { method: "GET", template: "/events/{eventId}/seats", path: () => `/events/${f.draft}/seats`, expect: all(404) },
  {
    method: "POST",
    template: "/events/{eventId}/reservations",
    path: () => `/events/${f.holdEvent}/reservations`,
    body: (who) => ({ seatIds: [seatsFor[who]] }),
    expect: signedInOnly(201),
  },
  {
    method: "POST",
    template: "/events/{eventId}/reservations",
    path: () => `/events/${f.draft}/reservations`,
    body: () => ({ seatIds: [1] }),
    expect: signedInOnly(404),
  },
  { method: "GET", template: "/events/{eventId}/reservations", path: () => `/events/${f.mine}/reservations`, expect: signedInOnly(200) },
  // The waiting room's line is public (a place belongs to a browser, not an account); drafts have none.
  { method: "POST", template: "/events/{eventId}/queue", path: () => `/events/${f.published}/queue`, expect: all(200) },
  { method: "GET", template: "/events/{eventId}/queue", path: () => `/events/${f.published}/queue`, expect: all(200) },
  { method: "GET", template: "/events/{eventId}/queue", path: () => `/events/${f.draft}/queue`, expect: all(404) },
  // The waiting list: joining an event with places on sale is refused (conflict) for everyone
  // signed in; the list itself is the organizer's (others: 404); one's own entry is one's own.
  {
    method: "POST",
    template: "/events/{eventId}/waitlist",
    path: () => `/events/${f.published}/waitlist`,
    body: () => ({ quantity: 1 }),
    expect: signedInOnly(409),
  },
  {
    method: "GET",
    template: "/events/{eventId}/waitlist",
    path: () => `/events/${f.published}/waitlist`,
    expect: { anonymous: 401, customer: 404, otherCustomer: 404, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  // Box-office orders: the event's organizer and admins sell; another organizer sees no such event.
  {
    method: "POST",
    template: "/events/{eventId}/box-office/orders",
    path: () => `/events/${f.published}/box-office/orders`,
    body: (who) => ({ customer: { email: uniqueEmail("desk") }, method: "CASH", seatIds: [boxOfficeSeatsFor[who]] }),
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 201, otherOrganizer: 404, admin: 201 },
  },
  // House seats over REST: the same people; customers are refused, other organizers see nothing.
  {
    method: "POST",
    template: "/events/{eventId}/blocks",
    path: () => `/events/${f.booked}/blocks`,
    body: (who) => ({ seatIds: [blockSeatsFor[who]], reason: "House" }),
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  {
    method: "GET",
    template: "/events/{eventId}/blocks",
    path: () => `/events/${f.booked}/blocks`,
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  {
    method: "POST",
    template: "/events/{eventId}/blocks/release",
    path: () => `/events/${f.booked}/blocks/release`,
    body: (who) => ({ seatIds: [blockSeatsFor[who]] }),
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  // Ticket types: the event's organizer and admins; customers are refused, other organizers see nothing.
  {
    method: "GET",
    template: "/events/{eventId}/ticket-types",
    path: () => `/events/${f.published}/ticket-types`,
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  {
    method: "POST",
    template: "/events/{eventId}/ticket-types",
    path: () => `/events/${f.published}/ticket-types`,
    body: (who) => ({ name: `Matrix ${who}`, prices: [{ sectionId: f.section, priceMinor: 500 }] }),
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 201, otherOrganizer: 404, admin: 201 },
  },
  {
    method: "PUT",
    template: "/events/{eventId}/ticket-types/{typeId}",
    path: () => `/events/${f.published}/ticket-types/${f.ticketType}`,
    body: () => ({ name: "Adult", note: "Matrix", prices: [{ sectionId: f.section, priceMinor: 1100 }] }),
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  // Discount codes: the event's organizer and admins; customers are refused, other organizers see nothing.
  {
    method: "GET",
    template: "/events/{eventId}/promo-codes",
    path: () => `/events/${f.published}/promo-codes`,
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  {
    method: "POST",
    template: "/events/{eventId}/promo-codes",
    path: () => `/events/${f.published}/promo-codes`,
    body: (who) => ({ code: `MATRIX-${who}`, kind: "PERCENT", amount: 10 }),
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 201, otherOrganizer: 404, admin: 201 },
  },
  { method: "GET", template: "/events/{eventId}/waitlist/me", path: () => `/events/${f.published}/waitlist/me`, expect: signedInOnly(404) },
  { method: "DELETE", template: "/events/{eventId}/waitlist/me", path: () => `/events/${f.published}/waitlist/me`, expect: signedInOnly(204) },
  {
    method: "GET",
    template: "/events/{eventId}/reservations/me",
    path: () => `/events/${f.mine}/reservations/me`,
    expect: { anonymous: 401, customer: 200, otherCustomer: 404, organizer: 404, otherOrganizer: 404, admin: 404 },
  },
  {
    method: "GET",
    template: "/events/{eventId}/reservations/user/{userId}",
    path: () => `/events/${f.mine}/reservations/user/${p.customer.user.id}`,
    expect: { anonymous: 401, customer: 200, otherCustomer: 404, organizer: 404, otherOrganizer: 404, admin: 200 },
  },
  {
    method: "GET",
    template: "/events/{eventId}/reservations/{reservationId}",
    path: () => `/events/${f.mine}/reservations/${f.reservation}`,
    expect: { anonymous: 401, customer: 200, otherCustomer: 404, organizer: 404, otherOrganizer: 404, admin: 200 },
  },
  {
    method: "POST",
    template: "/bookings/confirm",
    path: () => "/bookings/confirm",
    body: () => ({ reservationId: f.toConfirmReservation, payment: pay() }),
    headers: () => ({ "idempotency-key": crypto.randomUUID() }),
    expect: { anonymous: 401, customer: 201, otherCustomer: 404, organizer: 404, otherOrganizer: 404, admin: 404 },
  },
  {
    method: "GET",
    template: "/bookings/reference/{reference}",
    path: () => `/bookings/reference/${f.reference}`,
    expect: { anonymous: 401, customer: 200, otherCustomer: 404, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  {
    method: "GET",
    template: "/bookings/reference/{reference}/tickets/{ticketId}/qr",
    path: () => `/bookings/reference/${f.reference}/tickets/${f.ticket}/qr`,
    expect: { anonymous: 401, customer: 200, otherCustomer: 404, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  { method: "GET", template: "/bookings/me", path: () => "/bookings/me", expect: signedInOnly(200) },
  // Refunds: the event's organizer or an admin refunds; only the booking's customer cancels
  // (here the event's policy does not allow it: 409); the policy is public, set by its organizer.
  {
    method: "GET",
    template: "/bookings/reference/{reference}/cancel",
    path: () => `/bookings/reference/${f.reference}/cancel`,
    expect: { anonymous: 401, customer: 200, otherCustomer: 404, organizer: 404, otherOrganizer: 404, admin: 404 },
  },
  {
    method: "POST",
    template: "/bookings/reference/{reference}/cancel",
    path: () => `/bookings/reference/${f.reference}/cancel`,
    expect: { anonymous: 401, customer: 409, otherCustomer: 404, organizer: 403, otherOrganizer: 404, admin: 403 },
  },
  { method: "GET", template: "/events/{eventId}/cancellation-policy", path: () => `/events/${f.published}/cancellation-policy`, expect: all(200) },
  {
    method: "GET",
    template: "/events/{eventId}/cancellation-policy",
    path: () => `/events/${f.draft}/cancellation-policy`,
    expect: { anonymous: 404, customer: 404, otherCustomer: 404, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  {
    method: "PUT",
    template: "/events/{eventId}/cancellation-policy",
    path: () => `/events/${f.published}/cancellation-policy`,
    body: () => ({ allowed: false }),
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  { method: "GET", template: "/venues", path: () => "/venues", expect: all(200) },
  {
    method: "POST",
    template: "/venues",
    path: () => "/venues",
    body: () => sampleVenueBody(),
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 201, otherOrganizer: 201, admin: 201 },
  },
  { method: "GET", template: "/venues/{venueId}", path: () => `/venues/${f.venue}`, expect: all(200) },
  { method: "GET", template: "/health", path: () => "/health", expect: all(200) },
  { method: "GET", template: "/openapi.json", path: () => "/openapi.json", expect: all(200) },
  // Destructive: last. Nobody but the organizer and admins refunds; the second refund of the ticket is a conflict.
  {
    method: "POST",
    template: "/bookings/reference/{reference}/refunds",
    path: () => `/bookings/reference/${f.refundReference}/refunds`,
    body: () => ({ ticketIds: [f.refundTicket], reason: "Matrix refund" }),
    expect: { anonymous: 401, customer: 403, otherCustomer: 404, organizer: 201, otherOrganizer: 404, admin: 409 },
  },
  // Deactivating a code twice changes nothing.
  {
    method: "POST",
    template: "/events/{eventId}/promo-codes/{codeId}/deactivate",
    path: () => `/events/${f.published}/promo-codes/${f.promoCode}/deactivate`,
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  // Retiring twice changes nothing.
  {
    method: "POST",
    template: "/events/{eventId}/ticket-types/{typeId}/retire",
    path: () => `/events/${f.published}/ticket-types/${f.ticketType}/retire`,
    expect: { anonymous: 401, customer: 403, otherCustomer: 403, organizer: 200, otherOrganizer: 404, admin: 200 },
  },
  // Other people cannot release the customer's hold; an admin can.
  {
    method: "DELETE",
    template: "/events/{eventId}/reservations/{reservationId}",
    path: () => `/events/${f.mine}/reservations/${f.reservation}`,
    expect: { anonymous: 401, customer: 204, otherCustomer: 404, organizer: 404, otherOrganizer: 404, admin: 204 },
  },
];

test("the matrix covers every documented operation", () => {
  const documented = Object.entries(openApiDocument().paths ?? {}).flatMap(([path, item]) => Object.keys(item ?? {}).map((m) => `${m.toUpperCase()} ${path}`));
  const covered = new Set(rows.map((r) => `${r.method} ${r.template}`));
  expect(documented.filter((d) => !covered.has(d))).toEqual([]);
});

test.each(rows.map((r, i) => [`${i + 1}. ${r.method} ${r.template}`, r] as const))("%s", async (_name, row) => {
  const got: Partial<Record<Who, number>> = {};
  for (const who of ORDER) {
    const res = await client(who).request(row.method, `/api/v1${row.path()}`, {
      json: row.body?.(who),
      headers: row.headers?.() ?? {},
    });
    got[who] = res.status;
    if (res.status >= 400) expect(isProblem(res), `${who}: ${res.text.slice(0, 200)}`).toBe(true);
    expect(res.status, `${who} on ${row.method} ${row.template}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  }
  expect(got).toEqual(row.expect);
});
