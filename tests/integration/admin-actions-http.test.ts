import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { events, users, venues } from "@/db/schema";
import { bumpSessionVersion, toActor } from "@/lib/auth/users";
import { orThrow } from "@/lib/errors";
import { createVenue } from "@/lib/venues/venues";
import { outcome, postAction, serverActions, type ActionInfo } from "@/tests/helpers/actions";
import { startApp, type App, shareAppSecrets } from "@/tests/helpers/app";
import { TEST_PASSWORD, createTestEvent, createUser } from "@/tests/helpers/fixtures";
import { buy } from "@/tests/helpers/purchase";
import { signInCookie } from "@/tests/helpers/sign-in";

shareAppSecrets(); // ticket QR codes minted here must verify in the app (same AUTH_SECRET)

// The organizer area's server actions called over HTTP against a real `next start`, the way a
// browser (or an attacker) posts them: multipart body + Next-Action header. Every action is
// tried as anonymous, a revoked session, customer, other customer, organizer, other organizer
// and admin. Requests are posted to "/" (not to an /admin page), so the action's own checks
// (lib/actions.ts: session and role; then ownership in lib/) are what must stop them.
//
// Next.js runs an action inside a page that imports it; "/" does not, so Next forwards the
// request internally to an /admin page, and that hop passes middleware.ts: a request without
// any session cookie is stopped there (sign-in redirect: the action never runs, Next answers
// "{}"). A revoked session still carries a well-formed ADMIN cookie, passes middleware and
// reaches the action, which re-reads the user and must answer "unauthorized".

let app: App;
let actions: Record<string, ActionInfo>;

/** Posts a useActionState action to "/" as the browser would (args [prevState = null, formData]). */
const callAction = <D = unknown>(name: string, fields: Record<string, string>, cookie?: string) => postAction<D>(app.url, actions[name].id, fields, { cookie });

type Who = "anonymous" | "revoked" | "customer" | "otherCustomer" | "organizer" | "otherOrganizer" | "admin";
const WHO: Who[] = ["anonymous", "revoked", "customer", "otherCustomer", "organizer", "otherOrganizer", "admin"];
let cookies: Record<Who, string | undefined>;
let people: Record<Exclude<Who, "anonymous">, Awaited<ReturnType<typeof createUser>>>;

beforeAll(async () => {
  app = await startApp({
    env: { RATE_LIMIT_LOGIN_IP: "500/60", RATE_LIMIT_LOGIN_ACCOUNT: "500/60", RATE_LIMIT_LOGIN_ACCOUNT_ADDRESS: "500/60", RATE_LIMIT_ACTION: "100000/60" },
  });
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
  await bumpSessionVersion(revoked.id); // "sign out everywhere": the cookie stays well-formed but is dead
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

describe("server actions over HTTP", () => {
  it("finds every admin action in the build", () => {
    const admin = Object.values(actions).filter((a) => a.file.startsWith("app/admin/"));
    expect(admin.map((a) => a.name).sort()).toEqual(
      [
        "boxOfficeGaAction",
        "boxOfficeSeatsAction",
        "cancelEventAction",
        "cancellationPolicyAction",
        "changeRoleAction",
        "checkInAction",
        "createEventAction",
        "createRunAction",
        "createPromoCodeAction",
        "createTicketTypeAction",
        "deactivatePromoCodeAction",
        "createVenueAction",
        "houseGaAction",
        "houseSeatsAction",
        "publishEventAction",
        "retireTicketTypeAction",
        "refundBookingAction",
        "updateEventAction",
        "updateTicketTypeAction",
        "updateVenueAction",
        "updateWaitingRoomAction",
        "waitingRoomStatsAction",
      ].sort(),
    );
  });

  it("venue actions: staff create, only the creator or an admin edits; bad input comes back as field errors with the values", async () => {
    const sections = JSON.stringify([{ kind: "ASSIGNED", name: "Stalls", layout: { rows: "4", seatsPerRow: "6", aisles: ["3"], curve: "0.2" } }]);
    const name = `HTTP venue ${Date.now()}`;
    const outcomes: Record<string, string> = {};
    for (const who of WHO) outcomes[who] = outcome(await callAction("createVenueAction", { name: `${name} ${who}`, address: "x", sections }, cookies[who]));
    expect(outcomes).toEqual({
      anonymous: "blocked",
      revoked: "unauthorized",
      customer: "forbidden",
      otherCustomer: "forbidden",
      organizer: "redirect",
      otherOrganizer: "redirect",
      admin: "redirect",
    });
    const created = await db()
      .select()
      .from(venues)
      .where(sql`${venues.name} LIKE ${name + "%"}`);
    expect(created.map((v) => v.name).sort()).toEqual([`${name} admin`, `${name} organizer`, `${name} otherOrganizer`].sort());

    const bad = await callAction(
      "createVenueAction",
      { name: "", address: "x", sections: JSON.stringify([{ kind: "ASSIGNED", name: "S", layout: { rows: "0", seatsPerRow: "6" } }]) },
      cookies.admin,
    );
    expect(bad.state).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { name: [expect.any(String)], "sections.0.layout.rows": ["At least 1 row"] },
      values: { address: "x" },
    });

    const v = created.find((c) => c.name === `${name} admin`)!;
    const update = (who: Who, version: number) =>
      callAction("updateVenueAction", { venueId: v.id, version: String(version), name: `${name} edited by ${who}`, address: "", sections }, cookies[who]);
    for (const who of WHO.filter((w) => w !== "admin"))
      expect(outcome(await update(who, v.version))).toBe(who === "anonymous" ? "blocked" : who === "revoked" ? "unauthorized" : "forbidden");
    expect(outcome(await update("admin", v.version))).toBe("redirect");
    expect(await update("admin", v.version)).toMatchObject({ state: { ok: false, code: "stale_version" } });
  });

  it("event actions: organizers act on their own events only, admins on all, customers and anonymous on none", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const draft = await createTestEvent({ organizer: people.organizer });
    await db().update(events).set({ publishedAt: null }).where(eq(events.id, draft.event.id));
    const booking = await buy(people.customer, event.id, { seatIds: [places[0].id] });
    const fresh = async (id: string) => (await db().select().from(events).where(eq(events.id, id)))[0];
    const editFields = (e: typeof event, title: string) => ({
      eventId: e.id,
      version: String(e.version),
      title,
      description: "",
      imageUrl: "",
      startsAt: e.startsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      saleStartsAt: e.saleStartsAt.toISOString(),
      saleEndsAt: e.saleEndsAt.toISOString(),
      holdMinutes: "10",
      maxPerOrder: "10",
      currency: "EUR",
      venueName: "Test Hall",
      venueAddress: "",
    });

    const denied = { anonymous: "blocked", revoked: "unauthorized", customer: "forbidden", otherCustomer: "forbidden", otherOrganizer: "not_found" } as const;
    for (const [who, expected] of Object.entries(denied) as [Who, string][]) {
      const e = await fresh(event.id);
      expect(outcome(await callAction("updateEventAction", editFields(e, `hijacked by ${who}`), cookies[who])), `update as ${who}`).toBe(expected);
      expect(outcome(await callAction("publishEventAction", { eventId: draft.event.id }, cookies[who])), `publish as ${who}`).toBe(expected);
      expect(outcome(await callAction("cancelEventAction", { eventId: event.id, confirm: "yes" }, cookies[who])), `cancel as ${who}`).toBe(expected);
      expect(outcome(await callAction("checkInAction", { eventId: event.id, code: booking.tickets[0].qrPayload }, cookies[who])), `check-in as ${who}`).toBe(
        expected,
      );
    }
    const untouched = await fresh(event.id);
    expect(untouched).toMatchObject({ title: event.title, status: "ON_SALE", version: event.version });
    expect((await fresh(draft.event.id)).publishedAt).toBeNull();
    const [t] = await db().execute<{ status: string }>(sql`SELECT status FROM tickets WHERE id = ${booking.tickets[0].id}`);
    expect(t.status).toBe("VALID");

    // createEvent: staff only.
    const now = Date.now();
    const createFields = {
      venueMode: "custom",
      title: "Made over HTTP",
      venueName: "Hall",
      venueAddress: "",
      sections: JSON.stringify([{ kind: "GA", name: "Floor", capacity: "10", price: "12.50" }]),
      startsAt: new Date(now + 9 * 86400e3).toISOString(),
      endsAt: new Date(now + 9 * 86400e3 + 3600e3).toISOString(),
      saleStartsAt: new Date(now - 3600e3).toISOString(),
      saleEndsAt: new Date(now + 8 * 86400e3).toISOString(),
      holdMinutes: "10",
      maxPerOrder: "4",
      currency: "EUR",
      publish: "on",
    };
    expect(outcome(await callAction("createEventAction", createFields, cookies.anonymous))).toBe("blocked");
    expect(outcome(await callAction("createEventAction", createFields, cookies.revoked))).toBe("unauthorized");
    expect(outcome(await callAction("createEventAction", createFields, cookies.customer))).toBe("forbidden");
    const made = await callAction("createEventAction", createFields, cookies.otherOrganizer);
    expect(made.redirect).toMatch(/^\/admin\/events\/[0-9a-f-]{36}\?created=1/);
    const madeId = made.redirect!.match(/events\/([0-9a-f-]{36})/)![1];
    expect(await fresh(madeId)).toMatchObject({ organizerId: people.otherOrganizer.id, capacity: 10, maxPerOrder: 4, status: "ON_SALE" });
    const badPrice = await callAction(
      "createEventAction",
      {
        ...createFields,
        sections: JSON.stringify([{ kind: "GA", name: "Floor", capacity: "10", price: "12.5.0" }]),
        saleEndsAt: createFields.startsAt,
        endsAt: createFields.saleStartsAt,
      },
      cookies.organizer,
    );
    expect(badPrice.state).toMatchObject({
      ok: false,
      fieldErrors: { "sections.0.priceMinor": ["Use a price like 12.50"], endsAt: [expect.any(String)] },
      values: { title: "Made over HTTP" },
    });

    // The owner and the admin may.
    expect(outcome(await callAction("checkInAction", { eventId: event.id, code: booking.tickets[0].qrPayload }, cookies.organizer))).toBe("ok");
    const again = await callAction("checkInAction", { eventId: event.id, code: booking.tickets[0].qrPayload }, cookies.admin);
    expect(again.state?.data).toMatchObject({ outcome: "already_used" });
    expect((await callAction("publishEventAction", { eventId: draft.event.id }, cookies.organizer)).redirect).toMatch(
      `/admin/events/${draft.event.id}?published=1`,
    );
    const e1 = await fresh(event.id);
    expect((await callAction("updateEventAction", editFields(e1, "Renamed by owner"), cookies.organizer)).redirect).toMatch(
      `/admin/events/${event.id}?saved=1`,
    );
    const stale = await callAction("updateEventAction", editFields(e1, "Stale form"), cookies.admin);
    expect(stale.state).toMatchObject({ ok: false, code: "stale_version", values: { title: "Stale form" } });
    expect(outcome(await callAction("cancelEventAction", { eventId: event.id }, cookies.admin))).toBe("validation_failed"); // no confirmation
    expect((await callAction("cancelEventAction", { eventId: event.id, confirm: "yes" }, cookies.admin)).redirect).toMatch(`?cancelled=1`);
    expect(await fresh(event.id)).toMatchObject({ status: "CANCELLED", title: "Renamed by owner" });
  });

  it("two doors post the same check-in at once: exactly one is admitted", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const booking = await buy(people.otherCustomer, event.id, { seatIds: [places[3].id] });
    const fields = { eventId: event.id, code: booking.tickets[0].qrPayload };
    const replies = await Promise.all([
      callAction<{ outcome: string }>("checkInAction", fields, cookies.organizer),
      callAction<{ outcome: string }>("checkInAction", fields, cookies.admin),
    ]);
    expect(replies.map((r) => r.state?.data?.outcome).sort()).toEqual(["already_used", "valid"]);
  });

  it("changeRoleAction: admins only; the new role takes effect and old sessions end", async () => {
    const target = await createUser("CUSTOMER");
    const targetCookie = await signInCookie(app.url, target.email, TEST_PASSWORD);
    for (const who of WHO.filter((w) => w !== "admin")) {
      expect(outcome(await callAction("changeRoleAction", { userId: target.id, role: "ADMIN" }, cookies[who])), who).toBe(
        who === "anonymous" ? "blocked" : who === "revoked" ? "unauthorized" : "forbidden",
      );
    }
    // The target cannot promote itself either.
    expect(outcome(await callAction("changeRoleAction", { userId: target.id, role: "ADMIN" }, targetCookie))).toBe("forbidden");
    expect((await db().select().from(users).where(eq(users.id, target.id)))[0].role).toBe("CUSTOMER");
    expect(outcome(await callAction("changeRoleAction", { userId: target.id, role: "ORGANIZER" }, cookies.admin))).toBe("ok");
    expect((await db().select().from(users).where(eq(users.id, target.id)))[0].role).toBe("ORGANIZER");
    // The old session cookie no longer signs anyone in.
    expect(outcome(await callAction("createEventAction", {}, targetCookie))).toBe("unauthorized");
  });

  it("the live dashboard and CSV routes: staff who own the event only", async () => {
    const { event } = await createTestEvent({ organizer: people.organizer });
    const get = (p: string, who: Who) => fetch(`${app.url}${p}`, { headers: cookies[who] ? { cookie: cookies[who]! } : {}, redirect: "manual" });
    for (const p of [`/admin/events/${event.id}/live`, `/admin/events/${event.id}/export/attendees`]) {
      expect((await get(p, "anonymous")).status).toBe(307); // to sign in
      expect((await get(p, "customer")).status).toBe(403);
      expect((await get(p, "otherOrganizer")).status).toBe(404);
      expect((await get(p, "organizer")).status).toBe(200);
      expect((await get(p, "admin")).status).toBe(200);
    }
    const live = await (await get(`/admin/events/${event.id}/live`, "organizer")).json();
    expect(live.dashboard.totals.capacity).toBe(20);
    const csv = await get(`/admin/events/${event.id}/export/bookings`, "admin");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename=".+-bookings\.csv"/);
    expect((await get(`/admin/events/${event.id}/export/passwords`, "admin")).status).toBe(404);
  });

  it("every organizer-area page renders for those allowed and is refused to others", async () => {
    const { event, places } = await createTestEvent({ organizer: people.organizer });
    const booking = await buy(people.customer, event.id, { seatIds: [places[0].id] });
    const { venue } = orThrow(
      await createVenue(toActor(people.admin), { name: "Page check hall", address: "", sections: [{ kind: "GA", name: "Floor", capacity: 10 }] }),
    );
    const get = (p: string, who: Who) => fetch(`${app.url}${p}`, { headers: cookies[who] ? { cookie: cookies[who]! } : {}, redirect: "manual" });
    const e = `/admin/events/${event.id}`;
    const pages: [string, Partial<Record<Who, number>>][] = [
      ["/admin", { organizer: 200, admin: 200, customer: 403, anonymous: 307 }],
      ["/admin/venues", { organizer: 200, admin: 200, customer: 403 }],
      ["/admin/venues/new", { organizer: 200, admin: 200, customer: 403 }],
      [`/admin/venues/${venue.id}`, { organizer: 403, admin: 200 }], // an admin's venue: its creator and admins only
      ["/admin/events/new", { organizer: 200, admin: 200, customer: 403 }],
      [e, { organizer: 200, admin: 200, otherOrganizer: 404, customer: 403, anonymous: 307 }],
      [`${e}/edit`, { organizer: 200, admin: 200, otherOrganizer: 404 }],
      [`${e}/cancel`, { organizer: 200, admin: 200, otherOrganizer: 404 }],
      [`${e}/check-in`, { organizer: 200, admin: 200, otherOrganizer: 404 }],
      [`${e}/seats`, { organizer: 200, admin: 200, otherOrganizer: 404, customer: 403 }],
      [`${e}/waitlist`, { organizer: 200, admin: 200, otherOrganizer: 404, customer: 403 }],
      [`${e}/dates`, { organizer: 200, admin: 200, otherOrganizer: 404, customer: 403 }],
      [`${e}/bookings`, { organizer: 200, admin: 200, otherOrganizer: 404, customer: 403, anonymous: 307 }],
      [`${e}/bookings?q=%25_%5C`, { organizer: 200 }],
      [`${e}/bookings/${booking.reference}`, { organizer: 200, admin: 200, otherOrganizer: 404, customer: 403 }],
      [`${e}/bookings/NOSUCH00`, { organizer: 404 }],
      ["/admin/users", { organizer: 403, admin: 200 }],
      ["/admin/audit", { organizer: 403, admin: 200 }],
    ];
    for (const [p, expected] of pages) {
      for (const [who, status] of Object.entries(expected) as [Who, number][]) expect((await get(p, who)).status, `${p} as ${who}`).toBe(status);
    }
    // Only the check-in page may use the camera (QR scanning); every other page keeps it off.
    expect((await get(`${e}/check-in`, "organizer")).headers.get("permissions-policy")).toMatch(/camera=\(self\)/);
    expect((await get(e, "organizer")).headers.get("permissions-policy")).toMatch(/camera=\(\)/);
  });
});
