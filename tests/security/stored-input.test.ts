import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { events, users, venues } from "@/db/schema";
import { startApp, type App, shareAppSecrets, RELAXED_LIMITS } from "@/tests/helpers/app";
import { createUser, TEST_PASSWORD, uniqueEmail } from "@/tests/helpers/fixtures";
import { call } from "@/tests/helpers/http";
import { bearerTokens } from "@/tests/helpers/race";
import type { EventDetail, EventSummary, Page, PublicUser, Venue } from "@/tests/helpers/responses";
import { signInCookie } from "@/tests/helpers/sign-in";

// Stored XSS and SQL injection. Hostile strings go in through every text field an organizer,
// an admin or a customer can fill (event title, description, venue name and address, section
// names, venue records, a customer's name, the search box); they must come back exactly as
// typed in JSON and render as inert text in every page that shows them: escaped in the HTML,
// and escaped inside the inline React payload too (a "</script>" there would end the script).

shareAppSecrets();

const XSS = [
  `<script>alert("x1")</script>`,
  `<img src=x onerror=alert("x2")>`,
  `"><svg onload=alert("x3")>`,
  `</script><script>alert("x4")</script>`,
  `<a href="javascript:alert('x5')">x5</a>`,
  `<iframe srcdoc="<script>alert('x6')</script>">`,
];
const SQLI = [
  `'; DROP TABLE users; --`,
  `' OR '1'='1`,
  `Robert'); DROP TABLE events;--`,
  `1; SELECT pg_sleep(5) --`,
  `%' OR 1=1 --`,
  `\\'; DELETE FROM bookings; --`,
];
// Raw markup that must never appear in a page: if it does, the browser parses it as markup.
const LIVE_MARKUP = [/<script>alert\(/i, /<img src=x onerror/i, /<svg onload/i, /<\/script><script>alert/i, /<a href="javascript:/i, /<iframe srcdoc/i];

let app: App;
beforeAll(async () => {
  app = await startApp({ env: RELAXED_LIMITS });
});
afterAll(async () => {
  await app?.stop();
});

function expectInert(html: string, where: string) {
  for (const re of LIVE_MARKUP) expect(re.test(html), `${where} contains live markup ${re}`).toBe(false);
}

describe("hostile text in every field", () => {
  it("events and venues: stored and returned literally, rendered inert on every page", async () => {
    const organizer = await createUser("ORGANIZER");
    const admin = await createUser("ADMIN");
    const [orgToken, adminToken] = await bearerTokens([organizer, admin]);
    const tag = crypto.randomUUID().slice(0, 6);
    const title = `${tag} ${XSS[0]} ${SQLI[1]}`;
    const description = [...XSS, ...SQLI].join("\n");
    const day = 86_400_000;
    const body = {
      title,
      description,
      venue: { name: `${XSS[2]} ${SQLI[0]}`, address: `${XSS[1]} ${SQLI[2]}` },
      sections: [
        { kind: "ASSIGNED", name: `${XSS[3]}`.slice(0, 80), priceMinor: 1000, layout: { rows: 1, seatsPerRow: 3 } },
        { kind: "GA", name: `${SQLI[4]} ${XSS[4]}`.slice(0, 80), capacity: 5, priceMinor: 500 },
      ],
      startsAt: new Date(Date.now() + 10 * day).toISOString(),
      endsAt: new Date(Date.now() + 10 * day + 3_600_000).toISOString(),
      saleStartsAt: new Date(Date.now() - day).toISOString(),
      saleEndsAt: new Date(Date.now() + 9 * day).toISOString(),
      publish: true,
    };
    const created = await call<EventDetail>(`${app.url}/api/v1/events`, { token: orgToken, json: body });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id;

    // JSON: byte-for-byte what was typed, served as JSON that a browser will not sniff as HTML.
    const detail = await call(`${app.url}/api/v1/events/${id}`);
    expect(detail.contentType).toMatch(/^application\/json/);
    expect(detail.headers.get("x-content-type-options")).toBe("nosniff");
    expect(detail.body).toMatchObject({ title, description });
    expect(JSON.stringify(detail.body)).toContain(JSON.stringify(body.venue.name).slice(1, -1));
    const [row] = await db().select().from(events).where(eq(events.id, id));
    expect(row).toMatchObject({ title, description, venueName: body.venue.name, venueAddress: body.venue.address });
    const sections = await db().execute<{ name: string }>(sql`SELECT name FROM event_sections WHERE event_id = ${id} ORDER BY sort_order`);
    expect(sections.map((s) => s.name)).toEqual(body.sections.map((s) => s.name));

    // Venues (admin): the same.
    const venue = await call<Venue>(`${app.url}/api/v1/venues`, {
      token: adminToken,
      json: { name: `${tag} ${XSS[5]}`, address: SQLI[5], sections: [{ kind: "GA", name: `${XSS[1]}`.slice(0, 80), capacity: 10 }] },
    });
    expect(venue.status, venue.text).toBe(201);
    const [v] = await db().select().from(venues).where(eq(venues.id, venue.body.id));
    expect(v).toMatchObject({ name: `${tag} ${XSS[5]}`, address: SQLI[5] });

    // Pages: the public event page, the listing and search, the organizer's pages.
    const orgCookie = await signInCookie(app.url, organizer.email, TEST_PASSWORD);
    const adminCookie = await signInCookie(app.url, admin.email, TEST_PASSWORD);
    const pages: [string, string | undefined][] = [
      [`/events/${id}`, undefined],
      [`/`, undefined],
      [`/?q=${encodeURIComponent(tag)}`, undefined],
      [`/?filter=all&q=${encodeURIComponent(XSS[0])}`, undefined],
      [`/admin/events/${id}`, orgCookie],
      [`/admin/events/${id}/edit`, orgCookie],
      [`/admin/venues`, adminCookie],
      [`/admin/venues/${venue.body.id}`, adminCookie],
    ];
    for (const [path, cookie] of pages) {
      const res = await fetch(app.url + path, { headers: cookie ? { cookie } : {} });
      const html = await res.text();
      expect(res.status, path).toBe(200);
      expectInert(html, path);
      expect(res.headers.get("content-security-policy"), path).toMatch(/script-src 'self' 'nonce-/);
    }
    const eventPage = await (await fetch(`${app.url}/events/${id}`)).text();
    expect(eventPage).toContain(`${tag} &lt;script&gt;alert(&quot;x1&quot;)&lt;/script&gt;`); // shown as text
    const adminVenue = await (await fetch(`${app.url}/admin/venues/${venue.body.id}`, { headers: { cookie: adminCookie } })).text();
    expect(adminVenue).toContain(`&lt;iframe srcdoc=`);
  });

  it("SQL-injection strings are data: stored literally, searched literally, tables intact, no injected sleep", async () => {
    const organizer = await createUser("ORGANIZER");
    const [orgToken] = await bearerTokens([organizer]);
    const tag = crypto.randomUUID().slice(0, 6);
    const day = 86_400_000;
    for (const [i, s] of SQLI.entries()) {
      const r = await call<EventDetail>(`${app.url}/api/v1/events`, {
        token: orgToken,
        json: {
          title: `${tag} ${s}`,
          description: s,
          venue: { name: s, address: s },
          sections: [{ kind: "GA", name: s.slice(0, 80), capacity: 2, priceMinor: 0 }],
          startsAt: new Date(Date.now() + (10 + i) * day).toISOString(),
          endsAt: new Date(Date.now() + (10 + i) * day + 3_600_000).toISOString(),
          saleStartsAt: new Date(Date.now() - day).toISOString(),
          saleEndsAt: new Date(Date.now() + 9 * day).toISOString(),
          publish: true,
        },
      });
      expect(r.status, r.text).toBe(201);
      expect(r.body.title).toBe(`${tag} ${s}`);
    }
    // Search takes the strings literally: matches only titles that contain them, and fast.
    for (const s of SQLI) {
      const r = await call<Page<EventSummary>>(`${app.url}/api/v1/events?q=${encodeURIComponent(s)}&pageSize=50`);
      expect(r.status, s).toBe(200);
      expect(r.ms, s).toBeLessThan(3000);
      for (const item of r.body.items) expect(`${item.title} ${item.venueName}`.toLowerCase(), s).toContain(s.toLowerCase());
      expect(
        r.body.items.some((e) => e.title === `${tag} ${s}`),
        s,
      ).toBe(true);
      const page = await fetch(`${app.url}/?filter=all&q=${encodeURIComponent(s)}`);
      expect(page.status, s).toBe(200);
    }
    // A customer's name goes in through sign-up and comes back as typed, and as text on their page.
    const email = uniqueEmail("sqli");
    const name = `${SQLI[0]} ${XSS[0]}`;
    const reg = await call<PublicUser>(`${app.url}/api/v1/auth/register`, { json: { email, password: TEST_PASSWORD, name } });
    expect(reg.status, reg.text).toBe(201);
    expect(reg.body.name).toBe(name);
    const cookie = await signInCookie(app.url, email, TEST_PASSWORD);
    const account = await (await fetch(`${app.url}/account`, { headers: { cookie } })).text();
    expectInert(account, "/account");
    expect(account).toContain("&#x27;; DROP TABLE users; --");
    // Every table is still there and whole.
    const [counts] = await db().execute<{ users: number; events: number; bookings: number }>(sql`
      SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM bookings)::int AS bookings`);
    expect(counts.users).toBeGreaterThan(0);
    expect(counts.events).toBeGreaterThan(0);
    expect((await db().select().from(users).where(eq(users.email, email)))[0].name).toBe(name);
  });

  it("a script URL cannot be stored as an event image", async () => {
    const organizer = await createUser("ORGANIZER");
    const [orgToken] = await bearerTokens([organizer]);
    for (const imageUrl of ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"]) {
      const r = await call(`${app.url}/api/v1/events`, {
        token: orgToken,
        json: {
          title: "Image test",
          imageUrl,
          venue: { name: "Hall", address: "" },
          sections: [{ kind: "GA", name: "Floor", capacity: 2, priceMinor: 0 }],
          startsAt: new Date(Date.now() + 864e6).toISOString(),
          endsAt: new Date(Date.now() + 864e6 + 3_600_000).toISOString(),
          saleStartsAt: new Date(Date.now() - 864e5).toISOString(),
          saleEndsAt: new Date(Date.now() + 864e6 - 864e5).toISOString(),
        },
      });
      expect(r.status, imageUrl).toBe(400);
      expect(r.body.fields).toHaveProperty("imageUrl");
    }
  });
});
