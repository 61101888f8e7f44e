import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { events, users, type User } from "@/db/schema";
import { toActor, bumpSessionVersion } from "@/lib/auth/users";
import { createPromoCode } from "@/lib/promo-codes/manage";
import { createTicketType } from "@/lib/ticket-types/manage";
import { outcome, postAction, serverActions, type ActionInfo, type ActionReply } from "@/tests/helpers/actions";
import { startApp, type App, shareAppSecrets } from "@/tests/helpers/app";
import { createTestEvent, createUser, ga, seats, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { call } from "@/tests/helpers/http";
import { hold } from "@/tests/helpers/purchase";
import { signInCookie } from "@/tests/helpers/sign-in";
import { sleep } from "@/tests/helpers/wait";

// Server actions are public HTTP endpoints: anyone can POST a `Next-Action` id with form data,
// from any page, with any cookie. Every action in the build is tried here as anonymous, a
// revoked session (signed out everywhere), customer, other customer, organizer, other
// organizer and admin, posted to "/" (not the page that renders the form) so only the checks
// inside the action and lib/ can stop it. Then the same calls with middleware-bypass headers,
// cross-site Origins, and a form rendered by one instance posted to another.

shareAppSecrets();

type Who = "anonymous" | "revoked" | "customer" | "otherCustomer" | "organizer" | "otherOrganizer" | "admin";
const WHO: Who[] = ["anonymous", "revoked", "customer", "otherCustomer", "organizer", "otherOrganizer", "admin"];
// A shared key, as every instance of a deployment must have (see .env.example).
const ACTIONS_KEY = Buffer.from("tessera-test-actions-key-32bytes").toString("base64");
const BYPASS_HEADERS: Record<string, string>[] = [
  { "x-middleware-subrequest": "middleware" },
  { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
  { "x-middleware-subrequest": "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware" },
  { "x-middleware-invoke": "1", "x-invoke-path": "/admin", "x-invoke-query": "{}" },
  { "x-nextjs-data": "1", "x-now-route-matches": "1", "x-matched-path": "/admin" },
];

let app: App;
let other: App;
let actions: Record<string, ActionInfo>;
let people: Record<Exclude<Who, "anonymous">, User>;
let cookies: Record<Who, string | undefined>;

beforeAll(async () => {
  const env = {
    RATE_LIMIT_LOGIN_IP: "1000/60",
    RATE_LIMIT_LOGIN_ACCOUNT: "1000/60",
    RATE_LIMIT_LOGIN_ACCOUNT_ADDRESS: "1000/60",
    RATE_LIMIT_REGISTER: "1000/60",
    RATE_LIMIT_ACTION: "100000/60", // the matrix posts every action many times from each account
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: ACTIONS_KEY,
  };
  [app, other] = await Promise.all([startApp({ env }), startApp({ env })]);
  actions = serverActions();
  const [revoked, customer, otherCustomer, organizer, otherOrganizer, admin] = await Promise.all([
    createUser("ADMIN"),
    createUser("CUSTOMER"),
    createUser("CUSTOMER"),
    createUser("ORGANIZER"),
    createUser("ORGANIZER"),
    createUser("ADMIN"),
  ]);
  people = { revoked, customer, otherCustomer, organizer, otherOrganizer, admin };
  cookies = { anonymous: undefined } as Record<Who, string | undefined>;
  for (const [who, u] of Object.entries(people)) cookies[who as Who] = await signInCookie(app.url, u.email, TEST_PASSWORD);
  await bumpSessionVersion(revoked.id); // a well-formed ADMIN cookie that no longer signs anyone in
}, 180_000);

afterAll(async () => {
  await Promise.all([app?.stop(), other?.stop()]);
});

const act = (name: string, fields: Record<string, string | string[]>, who: Who, opts: Parameters<typeof postAction>[3] = {}) =>
  postAction(app.url, actions[name].id, fields, { cookie: cookies[who], ...opts });

const DENIED_ANONYMOUSLY = ["blocked", "unauthorized"]; // middleware's sign-in redirect, or the action's own check

async function openReservation(who: User, eventId: string, seatId: number) {
  return hold(toActor(who), eventId, { seatIds: [seatId] });
}

async function reservationCount(eventId: string, userId?: string) {
  const [r] = await db().execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM reservations WHERE event_id = ${eventId} ${userId ? sql`AND user_id = ${userId}` : sql``} AND status IN ('ACTIVE', 'PAYMENT', 'CONFIRMED')`);
  return r.n;
}

describe("every server action in the build is covered", () => {
  it("the matrix below names each of them", () => {
    expect(Object.keys(actions).sort()).toEqual(
      [
        "cancelEventAction",
        "changeRoleAction",
        "checkInAction",
        "createEventAction",
        "createRunAction",
        "createVenueAction",
        "holdGeneralAdmissionAction",
        "holdSeatsAction",
        "houseGaAction",
        "houseSeatsAction",
        "joinWaitlistAction",
        "leaveWaitlistAction",
        "loginAction",
        "payAction",
        "publishEventAction",
        "registerAction",
        "releaseAction",
        "releaseHoldAction",
        "signOutAction",
        "updateEventAction",
        "updateVenueAction",
        "updateWaitingRoomAction",
        "waitingRoomStatsAction",
        "changePasswordAction",
        "changeEmailAction",
        "resendVerificationAction",
        "claimAccountAction",
        "forgotPasswordAction",
        "resetPasswordAction",
        "verifyEmailAction",
        "guestAction",
        "payWithStripeAction",
        "answerChallengeAction",
        "cancelBookingAction",
        "boxOfficeSeatsAction",
        "boxOfficeGaAction",
        "createTicketTypeAction",
        "updateTicketTypeAction",
        "retireTicketTypeAction",
        "createPromoCodeAction",
        "deactivatePromoCodeAction",
        "quoteCheckoutAction",
        "unlockPresaleAction",
        "refundBookingAction",
        "cancellationPolicyAction",
      ].sort(),
    );
  });
});

describe("shop and account actions: signed-in customers act on their own holds only", () => {
  it("holdSeatsAction and holdGeneralAdmissionAction need a live session; nobody holds for someone else", async () => {
    const { event, places, sections } = await createTestEvent({ organizer: people.organizer, sections: [seats(1, 10), ga(20)] });
    const got: Record<string, string> = {};
    for (const [i, who] of WHO.entries()) got[who] = outcome(await act("holdSeatsAction", { eventId: event.id, "seatIds[]": [String(places[i].id)] }, who));
    expect(got).toEqual({
      anonymous: "unauthorized",
      revoked: "unauthorized",
      customer: "ok",
      otherCustomer: "ok",
      organizer: "ok",
      otherOrganizer: "ok",
      admin: "ok",
    });
    // Each hold belongs to whoever was signed in; the refused ones left nothing behind.
    for (const who of ["customer", "otherCustomer", "organizer", "otherOrganizer", "admin"] as const)
      expect(await reservationCount(event.id, people[who].id)).toBe(1);
    expect(await reservationCount(event.id, people.revoked.id)).toBe(0);
    expect(await reservationCount(event.id)).toBe(5);
    // A seat already held by someone else is refused, whoever asks.
    expect(outcome(await act("holdSeatsAction", { eventId: event.id, "seatIds[]": [String(places[2].id)] }, "admin"))).toBe("seat_taken");

    const gaGot: Record<string, string> = {};
    for (const who of WHO) gaGot[who] = outcome(await act("holdGeneralAdmissionAction", { eventId: event.id, sectionId: sections[1].id, quantity: "1" }, who));
    expect(gaGot).toEqual({
      anonymous: "unauthorized",
      revoked: "unauthorized",
      customer: "ok",
      otherCustomer: "ok",
      organizer: "ok",
      otherOrganizer: "ok",
      admin: "ok",
    });
  });

  it("releaseAction and releaseHoldAction: only the owner (or an admin) can release a hold", async () => {
    for (const name of ["releaseAction", "releaseHoldAction"]) {
      const { event, places } = await createTestEvent({ organizer: people.organizer });
      const mine = await openReservation(people.customer, event.id, places[0].id);
      const fields = { eventId: event.id, reservationId: mine.id };
      const got: Record<string, string> = {};
      for (const who of ["anonymous", "revoked", "otherCustomer", "organizer", "otherOrganizer"] as Who[]) got[who] = outcome(await act(name, fields, who));
      expect(DENIED_ANONYMOUSLY, name).toContain(got.anonymous); // /account/holds' action: middleware may stop it first
      expect({ ...got, anonymous: undefined }, name).toEqual({
        anonymous: undefined,
        revoked: "unauthorized",
        otherCustomer: "not_found",
        organizer: "not_found",
        otherOrganizer: "not_found",
      });
      expect(await reservationCount(event.id, people.customer.id)).toBe(1); // still held
      expect(outcome(await act(name, fields, "customer"))).toBe("ok");
      expect(await reservationCount(event.id, people.customer.id)).toBe(0);
      const theirs = await openReservation(people.otherCustomer, event.id, places[1].id);
      expect(outcome(await act(name, { eventId: event.id, reservationId: theirs.id }, "admin"))).toBe("ok"); // support staff may
    }
  });

  it("payAction: only the reservation's owner can pay for it; everyone else learns nothing (not found)", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const mine = await openReservation(people.customer, event.id, places[0].id);
    const fields = (key = crypto.randomUUID()) => ({
      reservationId: mine.id,
      idempotencyKey: key,
      method: "mock",
      cardNumber: "4242 4242 4242 4242",
      cardExpiry: "12/39",
      cardCvc: "123",
    });
    const got: Record<string, string> = {};
    for (const who of WHO.filter((w) => w !== "customer")) got[who] = outcome(await act("payAction", fields(), who));
    expect(got).toEqual({
      anonymous: "unauthorized",
      revoked: "unauthorized",
      otherCustomer: "not_found",
      organizer: "not_found",
      otherOrganizer: "not_found",
      admin: "not_found",
    });
    const [charges] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM checkouts WHERE reservation_id = ${mine.id}`);
    expect(charges.n).toBe(0);
    const paid = await act("payAction", fields(), "customer");
    expect(paid.redirect).toMatch(/^\/bookings\/[A-Z0-9]+\?paid=1$/);
  });

  it("quoteCheckoutAction: only the reservation's owner learns its prices and what a code takes off; everyone else learns nothing", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const made = await createPromoCode(toActor(people.organizer), event.id, { code: "OWNERS", kind: "PERCENT", amount: 10 });
    if (!made.ok) throw new Error(made.message);
    const mine = await openReservation(people.customer, event.id, places[0].id);
    const got: Record<string, string> = {};
    for (const who of WHO) got[who] = outcome(await act("quoteCheckoutAction", { reservationId: mine.id, promoCode: "owners" }, who));
    // Someone else's reservation reads as a missing one: nothing about it or the code leaks.
    expect(got).toEqual({
      anonymous: "unauthorized",
      revoked: "unauthorized",
      customer: "ok",
      otherCustomer: "not_found",
      organizer: "not_found",
      otherOrganizer: "not_found",
      admin: "not_found",
    });
    const reply = await act("quoteCheckoutAction", { reservationId: mine.id, promoCode: "owners" }, "customer");
    expect(reply.state).toMatchObject({ ok: true, data: { discountMinor: 100, totalMinor: 900, promo: { code: "OWNERS", applies: true } } });
  });

  it("unlockPresaleAction: needs a live session and unlocks the presale for the caller only", async () => {
    const { event, organizer } = await createTestEvent({ organizer: people.organizer, onSale: false });
    const made = await createPromoCode(toActor(organizer), event.id, { code: "PRESALE", kind: "ACCESS" });
    if (!made.ok) throw new Error(made.message);
    expect(outcome(await act("unlockPresaleAction", { eventId: event.id, code: "presale" }, "anonymous"))).toBe("unauthorized");
    expect(outcome(await act("unlockPresaleAction", { eventId: event.id, code: "presale" }, "revoked"))).toBe("unauthorized");
    expect(outcome(await act("unlockPresaleAction", { eventId: event.id, code: "wrong" }, "customer"))).toBe("validation_failed");
    expect(outcome(await act("unlockPresaleAction", { eventId: event.id, code: "presale" }, "customer"))).toBe("ok");
    const rows = await db().execute<{ user_id: string }>(sql`SELECT user_id FROM access_grants WHERE event_id = ${event.id}`);
    expect([...rows]).toEqual([{ user_id: people.customer.id }]);
  });

  it("payWithStripeAction: the same owner-only checkout as payAction (and Stripe must be the provider)", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const mine = await openReservation(people.customer, event.id, places[0].id);
    const fields = () => ({ reservationId: mine.id, idempotencyKey: crypto.randomUUID(), paymentMethodId: "pm_card_visa" });
    const got: Record<string, string> = {};
    for (const who of WHO) got[who] = outcome(await act("payWithStripeAction", fields(), who));
    expect(got).toEqual({
      anonymous: "unauthorized",
      revoked: "unauthorized",
      customer: "validation_failed", // the mock provider takes payments here
      otherCustomer: "not_found",
      organizer: "not_found",
      otherOrganizer: "not_found",
      admin: "not_found",
    });
  });

  it("answerChallengeAction: only the customer whose payment waits answers the mock 3-D Secure challenge", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const mine = await openReservation(people.customer, event.id, places[0].id);
    const fields = {
      reservationId: mine.id,
      idempotencyKey: crypto.randomUUID(),
      method: "mock",
      cardNumber: "4000 0027 6000 3184",
      cardExpiry: "12/39",
      cardCvc: "123",
    };
    const challenge = await act("payAction", fields, "customer");
    expect(challenge.redirect).toMatch(/^\/payments\/mock-challenge\/ch_mock_[0-9a-f]{24}\?return=/);
    const chargeId = decodeURIComponent(challenge.redirect!.split("/")[3].split("?")[0]);
    const answer = { chargeId, answer: "approve", returnPath: `/checkout/${mine.id}/return` };
    const got: Record<string, string> = {};
    for (const who of WHO.filter((w) => w !== "customer")) got[who] = outcome(await act("answerChallengeAction", answer, who));
    expect(got).toEqual({
      anonymous: "unauthorized",
      revoked: "unauthorized",
      otherCustomer: "not_found",
      organizer: "not_found",
      otherOrganizer: "not_found",
      admin: "not_found",
    });
    const approved = await act("answerChallengeAction", { ...answer, returnPath: "https://evil.example/" }, "customer");
    expect(approved.redirect).toBe("/"); // never sent elsewhere
  });

  it("cancelBookingAction: only the booking's customer cancels, and only while the event's policy allows it", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const held = await openReservation(people.customer, event.id, places[0].id);
    const paid = await act(
      "payAction",
      { reservationId: held.id, idempotencyKey: crypto.randomUUID(), method: "mock", cardNumber: "4242 4242 4242 4242", cardExpiry: "12/39", cardCvc: "123" },
      "customer",
    );
    const reference = paid.redirect!.split("/")[2].split("?")[0];
    const fields = { reference, confirm: "yes" };
    const got: Record<string, string> = {};
    for (const who of WHO) got[who] = outcome(await act("cancelBookingAction", fields, who));
    expect(got).toEqual({
      anonymous: "unauthorized",
      revoked: "unauthorized",
      customer: "cancellation_closed", // the policy is off by default
      otherCustomer: "not_found",
      organizer: "forbidden", // organizers refund instead
      otherOrganizer: "not_found",
      admin: "forbidden",
    });
    await db().update(events).set({ customerCancelHours: 1 }).where(eq(events.id, event.id));
    expect(outcome(await act("cancelBookingAction", fields, "otherCustomer"))).toBe("not_found");
    const done = await act("cancelBookingAction", fields, "customer");
    expect(done.redirect).toBe(`/bookings/${reference}?cancelled=1`);
  });

  it("refundBookingAction: only the event's organizer (current role) or an admin refunds, each ticket once, with the REST route's rules", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer, sections: [seats(1, 6, 1500)] });
    const held = await hold(toActor(people.customer), event.id, { seatIds: [places[0].id, places[1].id] });
    const paid = await act(
      "payAction",
      { reservationId: held.id, idempotencyKey: crypto.randomUUID(), method: "mock", cardNumber: "4242 4242 4242 4242", cardExpiry: "12/39", cardCvc: "123" },
      "customer",
    );
    const reference = paid.redirect!.split("/")[2].split("?")[0];
    const tickets = await db().execute<{ id: string }>(
      sql`SELECT t.id FROM tickets t JOIN bookings b ON b.id = t.booking_id WHERE b.reference = ${reference} ORDER BY t.id`,
    );
    const fields = (ids: string[], reason = "Seats with a blocked view") => ({ eventId: event.id, reference, reason, "ticketIds[]": ids, confirm: "yes" });
    const got: Record<string, string> = {};
    for (const who of WHO.filter((w) => w !== "organizer" && w !== "admin")) got[who] = outcome(await act("refundBookingAction", fields([tickets[0].id]), who));
    expect(DENIED_ANONYMOUSLY).toContain(got.anonymous);
    expect({ ...got, anonymous: undefined }).toEqual({
      anonymous: undefined,
      revoked: "unauthorized",
      customer: "forbidden", // the booking's own customer cancels under the policy instead
      otherCustomer: "forbidden",
      otherOrganizer: "not_found", // another organizer's booking reads as missing
    });
    // Bad input: field errors, nothing refunded.
    const bad = await act("refundBookingAction", fields([], "x"), "organizer");
    expect(bad.state).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { ticketIds: [expect.any(String)], reason: [expect.any(String)] } });
    const unconfirmed = await act("refundBookingAction", { ...fields([tickets[0].id]), confirm: "" }, "organizer");
    expect(unconfirmed.state).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { confirm: [expect.any(String)] } });
    // The organizer refunds one ticket; the admin's refund of the same ticket is refused, naming it.
    const done = await act("refundBookingAction", fields([tickets[0].id]), "organizer");
    expect(done.state).toMatchObject({ ok: true, data: { amountMinor: 1500, status: "REFUNDED", bookingStatus: "CONFIRMED" } });
    const again = await act("refundBookingAction", fields([tickets[0].id]), "admin");
    expect(again.state).toMatchObject({ ok: false, code: "conflict", formError: expect.stringMatching(/^Already refunded: .*seat/) });
    expect(outcome(await act("refundBookingAction", fields([tickets[1].id]), "admin"))).toBe("ok");
    const [n] = await db().execute<{ refunds: number }>(
      sql`SELECT count(*)::int AS refunds FROM refunds r JOIN bookings b ON b.id = r.booking_id WHERE b.reference = ${reference}`,
    );
    expect(n.refunds).toBe(2);
  });

  it("registerAction and loginAction are public but cannot be bent: no role from the form, no open redirect", async () => {
    const email = `reg-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const reg = await act("registerAction", { email, password: TEST_PASSWORD, name: "Self made", role: "ADMIN", next: "https://evil.example/" }, "anonymous");
    expect(reg.redirect).toBe("/");
    const [u] = await db().select().from(users).where(eq(users.email, email));
    expect(u.role).toBe("CUSTOMER");
    const login = await act("loginAction", { email, password: TEST_PASSWORD, next: "//evil.example/x" }, "anonymous");
    expect(login.redirect).toBe("/");
    expect(login.setCookies.some((c) => c.startsWith("authjs.session-token="))).toBe(true);
    const wrong = await act("loginAction", { email, password: "wrong-password-1" }, "anonymous");
    expect(wrong.state).toMatchObject({ ok: false, formError: "That email and password do not match an account." });
    expect(wrong.setCookies.some((c) => c.includes("session-token=") && !c.includes("Max-Age=0") && !c.includes("Expires=Thu, 01 Jan 1970"))).toBe(false);
  });
});

describe("account actions", () => {
  it("changing the password or the email, confirming again and claiming need a live session", async () => {
    const cases: [string, Record<string, string>][] = [
      ["changePasswordAction", { currentPassword: TEST_PASSWORD, newPassword: "other-pass-1", confirmPassword: "other-pass-1" }],
      ["changeEmailAction", { newEmail: `moved-${crypto.randomUUID().slice(0, 8)}@example.test`, currentPassword: TEST_PASSWORD }],
      ["resendVerificationAction", {}],
      ["claimAccountAction", {}],
    ];
    for (const [name, fields] of cases)
      for (const who of ["anonymous", "revoked"] as const) expect(DENIED_ANONYMOUSLY, `${name} as ${who}`).toContain(outcome(await act(name, fields, who)));
    const [revoked] = await db().select().from(users).where(eq(users.id, people.revoked.id));
    expect(revoked.passwordHash).toBe(people.revoked.passwordHash);
  });

  it("guestAction is public but cannot be bent: a passwordless customer, no role from the form, no open redirect", async () => {
    const email = `guest-${crypto.randomUUID().slice(0, 8)}@example.test`;
    // Posted from the page whose form carries the action, as a browser does: posted from another
    // page, Next.js 15.5 ran it (the guest row is created) but its answer carried no cookie.
    const r = await act("guestAction", { email, name: "Guest", role: "ADMIN", next: "//evil.example/x" }, "anonymous", { path: "/guest" });
    expect(r.redirect).toBe("/");
    expect(r.setCookies.some((c) => c.startsWith("authjs.session-token="))).toBe(true);
    const [u] = await db().select().from(users).where(eq(users.email, email));
    expect(u).toMatchObject({ role: "CUSTOMER", guest: true, passwordHash: null });
  });

  it("the recovery actions are public: the same answer for any address, and unknown links do nothing", async () => {
    const known = await act("forgotPasswordAction", { email: people.customer.email }, "anonymous");
    const unknown = await act("forgotPasswordAction", { email: `nobody-${crypto.randomUUID().slice(0, 8)}@example.test` }, "anonymous");
    expect(known.state?.ok).toBe(true);
    expect(unknown.state?.ok).toBe(true);
    const link = "A".repeat(43);
    expect(await act("resetPasswordAction", { token: link, password: "guess-pass-1", confirmPassword: "guess-pass-1" }, "anonymous")).toMatchObject({
      state: { ok: false, code: "not_found" },
    });
    expect(await act("verifyEmailAction", { token: link }, "anonymous")).toMatchObject({ state: { ok: false, code: "not_found" } });
  });
});

describe("the website's actions meet the REST API's rate limits", () => {
  it("holds: 30 a minute per customer; payments: 20 a minute — then rate_limited, as over REST", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const u = await createUser("CUSTOMER");
    const cookie = await signInCookie(app.url, u.email, TEST_PASSWORD);
    const holds: string[] = [];
    // The limiter's sliding window weighs the previous minute's count and rounds it down, so next
    // to a window boundary one request more may pass; the limit must never bite early, and must bite.
    for (let i = 0; i < 33 && holds.at(-1) !== "rate_limited"; i++)
      holds.push(outcome(await postAction(app.url, actions.holdSeatsAction.id, { eventId: event.id, "seatIds[]": [String(places[0].id)] }, { cookie })));
    expect(holds.slice(0, 30)).toEqual(Array(30).fill("ok")); // the same seat again: harmless, but counted
    expect(holds.at(-1)).toBe("rate_limited");
    const pays: string[] = [];
    const fields = {
      reservationId: crypto.randomUUID(),
      idempotencyKey: crypto.randomUUID(),
      method: "mock",
      cardNumber: "4242424242424242",
      cardExpiry: "12/39",
      cardCvc: "123",
    };
    for (let i = 0; i < 23 && pays.at(-1) !== "rate_limited"; i++)
      pays.push(outcome(await postAction(app.url, actions.payAction.id, { ...fields, idempotencyKey: crypto.randomUUID() }, { cookie })));
    expect(pays.slice(0, 20)).toEqual(Array(20).fill("not_found"));
    expect(pays.at(-1)).toBe("rate_limited");
  });
});

describe("organizer-area actions (admin pages, waiting-room controls): staff only, owners only", () => {
  it("each admin action refuses anonymous, revoked, customers and (for events) other organizers; owners and admins get through", async () => {
    const { event } = await createTestEvent({ organizer: people.organizer });
    const doomed = await createTestEvent({ organizer: people.organizer });
    const [venue] = await db().execute<{ id: string; version: number }>(
      sql`INSERT INTO venues (name, address, created_by) VALUES ('Matrix hall', '', ${people.organizer.id}) RETURNING id, version`,
    );
    const target = await createUser("CUSTOMER");
    const e = (await db().select().from(events).where(eq(events.id, event.id)))[0];
    const seatOf = (await db().query.inventory.findFirst({ where: (i, { eq }) => eq(i.eventId, event.id) }))!;
    const typeOf = async (name: string) => {
      const r = await createTicketType(toActor(people.organizer), event.id, { name, prices: [{ sectionId: seatOf.sectionId, priceMinor: 1000 }] });
      if (!r.ok) throw new Error(r.message);
      return r.ticketType.id;
    };
    const [adultType, doomedType] = [await typeOf("Adult"), await typeOf("Matinee")];
    const promo = await createPromoCode(toActor(people.organizer), event.id, { code: "MATRIX", kind: "PERCENT", amount: 10 });
    if (!promo.ok) throw new Error(promo.message);
    const bogusSection = crypto.randomUUID();
    const sections = JSON.stringify([{ kind: "GA", name: "Floor", capacity: "10", price: "12.50" }]);
    const venueSections = JSON.stringify([{ kind: "ASSIGNED", name: "Stalls", layout: { rows: "2", seatsPerRow: "4", aisles: [], curve: "0" } }]);
    const now = Date.now();
    const eventFields = {
      title: "Matrix event",
      description: "",
      imageUrl: "",
      startsAt: new Date(now + 9 * 86400e3).toISOString(),
      endsAt: new Date(now + 9 * 86400e3 + 3600e3).toISOString(),
      saleStartsAt: new Date(now - 3600e3).toISOString(),
      saleEndsAt: new Date(now + 8 * 86400e3).toISOString(),
      holdMinutes: "10",
      maxPerOrder: "4",
      currency: "EUR",
      venueName: "Hall",
      venueAddress: "",
    };
    // Payloads that are valid but harmless once past the checks (a stale version, a bogus ticket code).
    // Scopes: admin only; any staff; the event's organizer (others: not_found); the venue's creator (others: forbidden).
    const calls: Record<string, { fields: Record<string, string>; scope: "admin" | "staff" | "event" | "venue"; allowed: string }> = {
      createVenueAction: { fields: { name: "Matrix venue", address: "", sections: venueSections }, scope: "staff", allowed: "redirect" },
      updateVenueAction: {
        fields: { venueId: venue.id, version: String(venue.version + 5), name: "Renamed", address: "", sections: venueSections },
        scope: "venue",
        allowed: "stale_version",
      },
      changeRoleAction: { fields: { userId: target.id, role: "ORGANIZER" }, scope: "admin", allowed: "ok" },
      createEventAction: { fields: { ...eventFields, venueMode: "custom", sections, publish: "on" }, scope: "staff", allowed: "redirect" },
      updateEventAction: { fields: { ...eventFields, eventId: event.id, version: String(e.version + 5) }, scope: "event", allowed: "stale_version" },
      publishEventAction: { fields: { eventId: event.id }, scope: "event", allowed: "redirect" },
      checkInAction: { fields: { eventId: event.id, code: "TK1.not-a-ticket" }, scope: "event", allowed: "ok" },
      cancelEventAction: { fields: { eventId: doomed.event.id, confirm: "yes" }, scope: "event", allowed: "redirect" },
      waitingRoomStatsAction: { fields: { eventId: event.id }, scope: "event", allowed: "ok" },
      updateWaitingRoomAction: { fields: { eventId: event.id, admitPerMinute: "600", sessionMinutes: "10" }, scope: "event", allowed: "ok" },
      // Putting a seat that is on sale back on sale, and places of no section: harmless no-ops once past the checks.
      houseSeatsAction: { fields: { eventId: event.id, "seatIds[]": String(seatOf.id), intent: "unblock" }, scope: "event", allowed: "ok" },
      houseGaAction: { fields: { eventId: event.id, sectionId: crypto.randomUUID(), quantity: "1", intent: "unblock" }, scope: "event", allowed: "ok" },
      createRunAction: { fields: { eventId: event.id, "dates[]": new Date(now + 20 * 86400e3).toISOString() }, scope: "event", allowed: "ok" },
      // A seat of another event and a section of none: refused by the sale's own rules, once past the checks.
      boxOfficeSeatsAction: {
        fields: { eventId: event.id, email: target.email, method: "CASH", "seatIds[]": String(seatOf.id + 1_000_000_000) },
        scope: "event",
        allowed: "validation_failed",
      },
      cancellationPolicyAction: {
        fields: { eventId: event.id, allowed: "yes", hoursBefore: "24", feeKind: "percent", feePercent: "10" },
        scope: "event",
        allowed: "ok",
      },
      boxOfficeGaAction: {
        fields: { eventId: event.id, email: target.email, method: "COMPLIMENTARY", sectionId: crypto.randomUUID(), quantity: "1" },
        scope: "event",
        allowed: "validation_failed",
      },
      // Ticket types priced in a section of no event: refused by the rules, once past the checks; retiring twice is a no-op.
      createTicketTypeAction: {
        fields: { eventId: event.id, name: "Matrix", "sections[]": bogusSection, [`price_${bogusSection}`]: "10" },
        scope: "event",
        allowed: "validation_failed",
      },
      updateTicketTypeAction: {
        fields: { eventId: event.id, typeId: adultType, name: "Adult", "sections[]": bogusSection, [`price_${bogusSection}`]: "10" },
        scope: "event",
        allowed: "validation_failed",
      },
      retireTicketTypeAction: { fields: { eventId: event.id, typeId: doomedType }, scope: "event", allowed: "ok" },
      // A code restricted to a section of no event: refused by the rules; deactivating twice is a no-op.
      createPromoCodeAction: {
        fields: { eventId: event.id, code: "MATRIXNEW", kind: "PERCENT", amount: "10", "sectionIds[]": bogusSection },
        scope: "event",
        allowed: "validation_failed",
      },
      deactivatePromoCodeAction: { fields: { eventId: event.id, codeId: promo.promoCode.id }, scope: "event", allowed: "ok" },
    };
    for (const [name, c] of Object.entries(calls)) {
      const got: Record<string, string> = {};
      for (const who of WHO) got[who] = outcome(await act(name, c.fields, who));
      const want: Record<string, string | string[]> = {
        anonymous: DENIED_ANONYMOUSLY,
        revoked: "unauthorized",
        customer: "forbidden",
        otherCustomer: "forbidden",
        organizer: c.scope === "admin" ? "forbidden" : c.allowed,
        otherOrganizer: c.scope === "admin" || c.scope === "venue" ? "forbidden" : c.scope === "event" ? "not_found" : c.allowed,
        admin: c.allowed,
      };
      for (const who of WHO) {
        const w = want[who];
        if (Array.isArray(w)) expect(w, `${name} as ${who}`).toContain(got[who]);
        else expect(got[who], `${name} as ${who}`).toBe(w);
      }
    }
    expect((await db().select().from(events).where(eq(events.id, doomed.event.id)))[0].status).toBe("CANCELLED");
  });
});

describe("waiting-list actions", () => {
  it("joinWaitlistAction and leaveWaitlistAction need a live session and act on the caller's own place only", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer, sections: [seats(1, 2)] });
    await hold(toActor(people.otherCustomer), event.id, { seatIds: places.map((p) => p.id) }); // sold out
    expect(outcome(await act("joinWaitlistAction", { eventId: event.id, quantity: "1" }, "anonymous"))).toBe("unauthorized");
    expect(outcome(await act("joinWaitlistAction", { eventId: event.id, quantity: "1" }, "revoked"))).toBe("unauthorized");
    expect(outcome(await act("joinWaitlistAction", { eventId: event.id, quantity: "1" }, "customer"))).toBe("ok");
    expect(outcome(await act("leaveWaitlistAction", { eventId: event.id }, "anonymous"))).toBe("unauthorized");
    expect(outcome(await act("leaveWaitlistAction", { eventId: event.id }, "otherCustomer"))).toBe("ok"); // leaves nothing of anyone else's
    const rows = await db().execute<{ user_id: string; status: string }>(sql`SELECT user_id, status FROM waitlist_entries WHERE event_id = ${event.id}`);
    expect([...rows]).toEqual([{ user_id: people.customer.id, status: "WAITING" }]);
    expect(outcome(await act("leaveWaitlistAction", { eventId: event.id }, "customer"))).toBe("ok");
    const [after] = await db().execute<{ status: string }>(sql`SELECT status FROM waitlist_entries WHERE event_id = ${event.id}`);
    expect(after.status).toBe("LEFT");
  });
});

describe("middleware is never the only gate", () => {
  it("bypass headers change nothing: actions, pages and the REST API still check inside", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const mine = await openReservation(people.customer, event.id, places[0].id);
    for (const headers of BYPASS_HEADERS) {
      const label = JSON.stringify(headers);
      expect(outcome(await act("holdSeatsAction", { eventId: event.id, "seatIds[]": [String(places[1].id)] }, "anonymous", { headers })), label).toBe(
        "unauthorized",
      );
      expect(outcome(await act("releaseAction", { eventId: event.id, reservationId: mine.id }, "otherCustomer", { headers })), label).toBe("not_found");
      expect(DENIED_ANONYMOUSLY, label).toContain(
        outcome(await act("createVenueAction", { name: "Bypass", address: "", sections: "[]" }, "anonymous", { headers })),
      );
      expect(outcome(await act("createVenueAction", { name: "Bypass", address: "", sections: "[]" }, "customer", { headers })), label).toBe("forbidden");
      const cancel = await act("cancelEventAction", { eventId: event.id, confirm: "yes" }, "otherOrganizer", { headers });
      expect(outcome(cancel), `${label} → ${cancel.status} ${cancel.text.slice(0, 200)}`).toBe("not_found");
      expect(outcome(await act("changeRoleAction", { userId: people.customer.id, role: "ADMIN" }, "customer", { headers })), label).toBe("forbidden");

      const adminPage = await fetch(`${app.url}/admin`, { headers: { cookie: cookies.customer!, ...headers }, redirect: "manual" });
      expect([303, 307, 403], label).toContain(adminPage.status);
      expect(await adminPage.text()).not.toContain("Organizer area");
      const account = await fetch(`${app.url}/account`, { headers, redirect: "manual" });
      expect([303, 307], label).toContain(account.status);
      expect((await call(`${app.url}/api/v1/events/${event.id}/reservations`, { json: { seatIds: [places[2].id] }, headers })).status, label).toBe(401);
      expect((await call(`${app.url}/api/v1/bookings/me`, { headers })).status, label).toBe(401);
      expect(
        (await call(`${app.url}/api/v1/venues`, { json: { name: "x", address: "", sections: [] }, headers: { ...headers, cookie: cookies.customer! } })).status,
        label,
      ).toBe(403);
    }
    expect(await reservationCount(event.id)).toBe(1);
    expect((await db().select().from(users).where(eq(users.id, people.customer.id)))[0].role).toBe("CUSTOMER");
  });
});

describe("cross-site and cross-instance", () => {
  it("refuses actions posted from another site (Origin), and a signed-in victim's sign-out cannot be forced", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const victim = await createUser("CUSTOMER");
    const cookie = await signInCookie(app.url, victim.email, TEST_PASSWORD);
    for (const origin of ["https://evil.example", "null", `http://127.0.0.1:${app.port + 1}`]) {
      const r: ActionReply = await postAction(
        app.url,
        actions.holdSeatsAction.id,
        { eventId: event.id, "seatIds[]": [String(places[0].id)] },
        { cookie, origin },
      );
      expect(r.state?.ok, `${origin}: ${r.status} ${r.text.slice(0, 200)}`).not.toBe(true);
      expect(r.status, origin).toBe(403); // refused by middleware before Next's own check (which answers 500)
      const out: ActionReply = await postAction(app.url, actions.signOutAction.id, {}, { cookie, origin, plainForm: true });
      expect(out.redirect, origin).toBeNull();
      expect(out.status, origin).toBe(403);
    }
    expect(await reservationCount(event.id, victim.id)).toBe(0);
    const [v] = await db().select().from(users).where(eq(users.id, victim.id));
    expect(v.sessionVersion).toBe(victim.sessionVersion); // not signed out by the forged posts
    // Behind a proxy the public host arrives as X-Forwarded-Host: an Origin matching it is same-site.
    const proxied = await postAction(
      app.url,
      actions.holdSeatsAction.id,
      { eventId: event.id, "seatIds[]": [String(places[1].id)] },
      { cookie, origin: "https://tickets.example.test", headers: { "x-forwarded-host": "tickets.example.test" } },
    );
    expect(outcome(proxied)).toBe("ok");
    // The same calls from our own origin work.
    expect(outcome(await postAction(app.url, actions.holdSeatsAction.id, { eventId: event.id, "seatIds[]": [String(places[0].id)] }, { cookie }))).toBe("ok");
    expect(await reservationCount(event.id, victim.id)).toBe(1);
  });

  it("a form rendered by one instance is posted to another and works (shared NEXT_SERVER_ACTIONS_ENCRYPTION_KEY)", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const buyer = await createUser("CUSTOMER");
    const cookie = await signInCookie(app.url, buyer.email, TEST_PASSWORD); // signed in on one, used on both
    const page = await fetch(`${app.url}/events/${event.id}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const held = await postAction<{ reservation: { id: string } }>(
      other.url,
      actions.holdSeatsAction.id,
      { eventId: event.id, "seatIds[]": [String(places[0].id)] },
      { cookie },
    );
    expect(outcome(held)).toBe("ok");
    const reservationId = held.state!.data!.reservation.id;
    const checkout = await fetch(`${other.url}/checkout/${reservationId}`, { headers: { cookie } });
    expect(checkout.status).toBe(200);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(await checkout.text())?.[1];
    expect(key).toBeTruthy();
    const pay = () =>
      postAction(
        app.url,
        actions.payAction.id,
        { reservationId, idempotencyKey: key!, method: "mock", cardNumber: "4242424242424242", cardExpiry: "12/39", cardCvc: "123" },
        { cookie },
      );
    // On a busy machine the answer may be "still processing, retry with the same form": a person
    // presses Pay again, which is safe (same idempotency key), so the test does too.
    let paid = await pay();
    for (let i = 0; i < 3 && !paid.redirect && ["payment_timeout", "payment_unavailable", "idempotency_in_flight"].includes(paid.state?.code ?? ""); i++) {
      await sleep(1_000);
      paid = await pay();
    }
    expect(paid.redirect, `${paid.status} ${JSON.stringify(paid.state)}`).toMatch(/^\/bookings\/[A-Z0-9]+\?paid=1$/);
    // The same form posted again (a double submit, to the first instance) replays, never charges twice.
    const again = await postAction(
      other.url,
      actions.payAction.id,
      { reservationId, idempotencyKey: key!, method: "mock", cardNumber: "4242424242424242", cardExpiry: "12/39", cardCvc: "123" },
      { cookie },
    );
    expect(again.redirect).toBe(paid.redirect);
    const [n] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM checkouts WHERE reservation_id = ${reservationId}`);
    expect(n.n).toBe(1);
  });

  it("an unknown action id is refused cleanly, not a crash", async () => {
    const r = await postAction(app.url, "7f" + "0".repeat(40), { x: "1" }, { cookie: cookies.customer });
    expect(r.state).toBeNull();
    expect([400, 404]).toContain(r.status);
  });
});
