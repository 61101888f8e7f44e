import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User } from "@/db/schema";
import { signedIn, startApiApp, type Principal } from "../helpers/api";
import type { App } from "../helpers/app";
import { postAction, serverActions } from "../helpers/actions";
import { buyOver } from "../helpers/http";
import { signInCookie } from "../helpers/sign-in";
import { createTestEvent, seats, TEST_PASSWORD } from "../helpers/fixtures";

// A 500 is never an answer to bad input. The REST API has its own fuzz (api-fuzz.test.ts); this
// one goes where a browser or a hand-made request can reach: every page and page-level route
// (found by walking app/, so a new page is covered without touching this file) with odd path
// parameters, query strings and cookies; every server action with odd arguments, odd encodings
// and from other sites; odd cookies on REST holds; unsupported methods and undecodable paths
// under /api/v1. Bounded: a fixed corpus of known troublemakers plus RUNS random cases each.

const RUNS = 8;
const root = path.resolve(import.meta.dirname, "../..");

const nasty = [
  "",
  "\u0000",
  "a\u0000b",
  "%",
  "%E0%A4%A",
  "%00",
  "%zz",
  "..",
  "'; DROP TABLE users; --",
  "<script>alert(1)</script>",
  "😀".repeat(10),
  "\uFEFF",
  "\uD800",
  "x".repeat(3000),
  "-1",
  "1e309",
  "00000000-0000-0000-0000-000000000000",
  "http://[",
  "//evil.example",
  "/\\evil.example",
];
const oddText = fc.oneof(fc.constantFrom(...nasty), fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 20 }));
// What a browser can put on the wire: raw text percent-encoded, or raw escapes left as they are.
const onWire = (s: string) => (/%/.test(s) && Math.random() < 0.5 ? s : encodeURIComponent(s.toWellFormed()));

let app: App;
let customer: Principal;
let organizer: Principal;
let admin: Principal;
const cookies: Record<string, string> = {};
const real: Record<string, string> = {};

async function cookieOf(p: { user: User }) {
  return signInCookie(app.url, p.user.email, TEST_PASSWORD);
}

beforeAll(async () => {
  app = await startApiApp({ RATE_LIMIT_QUEUE_JOIN: "100000/60" });
  [customer, organizer, admin] = await Promise.all([signedIn(app), signedIn(app, "ORGANIZER"), signedIn(app, "ADMIN")]);
  [cookies.customer, cookies.organizer, cookies.admin] = await Promise.all([cookieOf(customer), cookieOf(organizer), cookieOf(admin)]);
  const { event, places } = await createTestEvent({ organizer: organizer.user, sections: [seats(2, 5)] });
  real.eventId = event.id;
  const bought = await buyOver(app.url, customer.token, event.id, { seatIds: [places[0].id] });
  if (bought.pay?.status !== 201) throw new Error(`setup purchase failed: ${bought.pay?.text ?? bought.hold.text}`);
  real.reference = (bought.pay.body as { reference: string }).reference;
  const held = await customer.api.post(`/api/v1/events/${event.id}/reservations`, { seatIds: [places[1].id] });
  real.reservationId = (held.body as unknown as { id: string }).id;
  const venues = await admin.api.get("/api/v1/venues");
  real.venueId = (venues.body as { items?: { id: string }[] }).items?.[0]?.id ?? crypto.randomUUID();
}, 240_000);

afterAll(() => app?.stop());

/** Every page.tsx and page-level route.ts outside app/api, as URL templates. */
function pageTemplates(): string[] {
  const out: string[] = [];
  const walk = (dir: string, parts: string[]) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (dir === path.join(root, "app") && e.name === "api") continue;
        walk(path.join(dir, e.name), /^\(.*\)$/.test(e.name) ? parts : [...parts, e.name]);
      } else if (e.name === "page.tsx" || e.name === "route.ts") out.push("/" + parts.join("/"));
    }
  };
  walk(path.join(root, "app"), []);
  return out.sort();
}

function fill(template: string, odd: (name: string) => string | null): string {
  return template.replace(/\[(\w+)\]/g, (_, name: string) => {
    const o = odd(name);
    if (o !== null) return o;
    if (name === "kind") return "attendees";
    return real[name] ?? crypto.randomUUID();
  });
}

async function get(url: string, cookie?: string) {
  const res = await fetch(url, { headers: { ...(cookie ? { cookie } : {}) }, redirect: "manual" });
  const text = await res.text();
  return { status: res.status, text };
}

const queryKeys = ["q", "filter", "page", "role", "action", "before", "next", "callbackUrl", "when", "paid", "saved", "created", "status"];

describe("pages", () => {
  const templates = pageTemplates();

  it("finds the pages to fuzz", () => {
    expect(templates).toEqual(expect.arrayContaining(["/", "/events/[eventId]", "/admin/users", "/admin/audit", "/bookings/[reference]/calendar"]));
  });

  it.each(templates)("%s: odd path parameters, queries and cookies never answer 5xx", async (template) => {
    const who = ["anonymous", "customer", "organizer", "admin"] as const;
    const cases = fc.sample(
      fc.record({
        param: fc.option(oddText, { nil: null }),
        query: fc.dictionary(fc.constantFrom(...queryKeys), oddText, { maxKeys: 3 }),
        who: fc.constantFrom(...who),
        junkCookie: fc.option(fc.tuple(fc.constantFrom("authjs.session-token", `tq_v_${real.eventId}`, `tq_p_${real.eventId}`), oddText), { nil: null }),
      }),
      RUNS,
    );
    // The corpus first: every troublemaker in the query and as each path parameter, as every user.
    for (const [i, n] of nasty.entries()) {
      cases.push({ param: n, query: { q: n, page: n, next: n, callbackUrl: n, before: n, role: n }, who: "admin", junkCookie: null });
      cases.push({ param: n, query: { q: n }, who: who[i % 3], junkCookie: [i % 2 ? "authjs.session-token" : `tq_p_${real.eventId}`, n] });
    }
    const failures: string[] = [];
    for (const c of cases) {
      const url =
        app.url +
        fill(template, () => (c.param === null ? null : onWire(c.param))) +
        "?" +
        Object.entries(c.query)
          .map(([k, v]) => `${k}=${onWire(v)}`)
          .join("&");
      const jar = [c.who === "anonymous" ? "" : cookies[c.who], c.junkCookie ? `${c.junkCookie[0]}=${onWire(c.junkCookie[1])}` : ""].filter(Boolean).join("; ");
      const r = await get(url, jar || undefined);
      if (r.status >= 500) failures.push(`${r.status} ${url.slice(app.url.length, 200)} (${c.who}${c.junkCookie ? `, cookie ${c.junkCookie[0]}` : ""})`);
    }
    expect(failures).toEqual([]);
  });
});

describe("server actions", () => {
  const actionNames = Object.keys(serverActions()).sort();

  it.each(actionNames)("%s: odd fields, odd arguments and odd encodings never answer 5xx", async (name) => {
    const id = serverActions()[name].id;
    const failures: string[] = [];
    const record = (what: string, status: number) => {
      if (status >= 500) failures.push(`${status} ${what}`);
    };
    const fieldNames = [
      "eventId",
      "reservationId",
      "seatIds[]",
      "sectionId",
      "quantity",
      "email",
      "password",
      "name",
      "next",
      "payload",
      "key",
      "role",
      "userId",
    ];
    const forms = fc.sample(fc.dictionary(fc.constantFrom(...fieldNames), oddText, { maxKeys: 5 }), RUNS);
    for (const n of nasty) forms.push(Object.fromEntries(fieldNames.map((f) => [f, n])));
    for (const [i, fields] of forms.entries()) {
      const cookie = [undefined, cookies.customer, cookies.organizer, cookies.admin][i % 4];
      const r = await postAction(app.url, id, fields, { cookie, plainForm: i % 2 === 0 });
      record(`form ${JSON.stringify(fields).slice(0, 120)}`, r.status);
    }
    // Arguments that are not a form at all, as React's encoding would carry them.
    for (const args of ['["x"]', "[1,2,3]", "[null,null]", "[]", '{"a":1}', "not json", '["$K1"]', '[null,"$K9"]', '["$@1"]']) {
      const res = await fetch(app.url + "/", {
        method: "POST",
        headers: { "next-action": id, accept: "text/x-component", origin: app.url, "content-type": "text/plain;charset=UTF-8", cookie: cookies.admin },
        body: args,
        redirect: "manual",
      });
      await res.text();
      record(`args ${args}`, res.status);
    }
    // A form posted from another site, with and without JavaScript.
    const crossSite = await postAction(app.url, id, { eventId: real.eventId }, { origin: "https://evil.example", cookie: cookies.admin });
    if (crossSite.status !== 403) failures.push(`${crossSite.status} from another site (want 403)`);
    const noJs = new FormData();
    noJs.append(`$ACTION_ID_${id}`, "");
    noJs.append("eventId", real.eventId);
    const plain = await fetch(app.url + "/", {
      method: "POST",
      headers: { origin: "https://evil.example", cookie: cookies.admin },
      body: noJs,
      redirect: "manual",
    });
    await plain.text();
    if (plain.status !== 403) failures.push(`${plain.status} from another site without JavaScript (want 403)`);
    expect(failures).toEqual([]);
  });
});

describe("cookies on REST holds", () => {
  it("a malformed waiting-room cookie is no pass (never a 500)", async () => {
    const failures: string[] = [];
    for (const value of nasty) {
      for (const name of [`tq_p_${real.eventId}`, `tq_v_${real.eventId}`]) {
        const res = await fetch(`${app.url}/api/v1/events/${real.eventId}/reservations`, {
          method: "POST",
          headers: { authorization: `Bearer ${customer.token}`, "content-type": "application/json", cookie: `${name}=${onWire(value)}` },
          body: JSON.stringify({ seatIds: [1] }),
        });
        await res.text();
        if (res.status >= 500) failures.push(`${res.status} ${name}=${JSON.stringify(value).slice(0, 40)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("odd requests under /api/v1", () => {
  it("an unsupported method is 405 problem+json with Allow", async () => {
    const cases: [string, string, string][] = [
      ["PUT", "/api/v1/events", "GET, HEAD, POST"],
      ["DELETE", `/api/v1/events/${real.eventId}`, "GET, HEAD"],
      ["PATCH", "/api/v1/auth/login", "POST"],
      ["GET", "/api/v1/bookings/confirm", "POST"],
      ["PUT", `/api/v1/events/${real.eventId}/reservations/me`, "GET, HEAD"],
    ];
    for (const [method, url, allow] of cases) {
      const res = await fetch(app.url + url, { method, headers: { authorization: `Bearer ${customer.token}` } });
      const body = await res.json().catch(() => null);
      expect({ method, url, status: res.status, type: res.headers.get("content-type"), allow: res.headers.get("allow"), code: body?.code }).toEqual({
        method,
        url,
        status: 405,
        type: "application/problem+json",
        allow: `${allow}, OPTIONS`,
        code: "method_not_allowed",
      });
    }
  });

  it("an undecodable path is a 4xx problem, never a 500", async () => {
    for (const p of [
      "/api/v1/events/%E0%A4%A",
      "/api/v1/%ZZ",
      "/api/v1/events/%C0%AF/seats",
      `/api/v1/events/${real.eventId}/reservations/%`,
      "/api/v1/venues/%FF",
    ]) {
      const res = await fetch(app.url + p, { headers: { authorization: `Bearer ${customer.token}` } });
      const text = await res.text();
      expect({ p, status: res.status < 500 && res.status >= 400, type: res.headers.get("content-type") }, text.slice(0, 200)).toEqual({
        p,
        status: true,
        type: "application/problem+json",
      });
    }
  });
});
