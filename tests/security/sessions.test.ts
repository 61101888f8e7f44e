import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { users } from "@/db/schema";
import { outcome, postAction, serverActions } from "@/tests/helpers/actions";
import { startApp, type App } from "@/tests/helpers/app";
import { createUser, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { call } from "@/tests/helpers/http";
import { authJsSignIn, signInCookie, testIp } from "@/tests/helpers/sign-in";

// Session cookies, sign-out and brute force. The app runs with the DEFAULT rate limits here.
//  - Cookies: HttpOnly and SameSite=Lax always; Secure (and the __Secure- prefix) whenever the
//    site is reached over https — behind a TLS-terminating proxy (X-Forwarded-Proto, trusted via
//    AUTH_TRUST_HOST) or with AUTH_URL=https://… — for both sign-in paths (Auth.js's own callback
//    and the website's loginAction).
//  - Sign-out bumps the account's session version: a copy of the old cookie opens nothing.
//  - Guessing passwords is throttled per account (whatever the IP) and per IP.

let app: App;
let httpsApp: App;

beforeAll(async () => {
  [app, httpsApp] = await Promise.all([startApp(), startApp({ env: { AUTH_URL: "https://tickets.example.test" } })]);
});
afterAll(async () => {
  await Promise.all([app?.stop(), httpsApp?.stop()]);
});

function cookieNamed(setCookies: string[], name: RegExp) {
  const c = setCookies.find((s) => name.test(s.split("=")[0]));
  if (!c) throw new Error(`no cookie ${name} in ${JSON.stringify(setCookies)}`);
  const [pair, ...attrs] = c.split(";").map((s) => s.trim());
  return { name: pair.split("=")[0], value: pair.slice(pair.indexOf("=") + 1), attrs: attrs.map((a) => a.toLowerCase()), raw: c };
}

describe("session cookies", () => {
  it("plain http (local): HttpOnly, SameSite=Lax, Path=/; not Secure, or the browser would drop it", async () => {
    const u = await createUser();
    const { setCookies } = await authJsSignIn(app.url, u.email, TEST_PASSWORD);
    const s = cookieNamed(setCookies, /^authjs\.session-token$/);
    expect(s.attrs).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/"]));
    expect(s.attrs).not.toContain("secure");
  });

  it("behind https (X-Forwarded-Proto from the proxy): __Secure- cookie with Secure, HttpOnly, SameSite=Lax — both sign-in paths", async () => {
    const u = await createUser();
    const https = { "x-forwarded-proto": "https", "x-forwarded-for": testIp() };
    const { setCookies } = await authJsSignIn(app.url, u.email, TEST_PASSWORD, https);
    const s = cookieNamed(setCookies, /^__Secure-authjs\.session-token$/);
    expect(s.attrs).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=lax", "path=/"]));
    const csrf = cookieNamed(setCookies, /^__Host-authjs\.csrf-token$/);
    expect(csrf.attrs).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=lax"]));

    const viaAction = await postAction(app.url, serverActions().loginAction.id, { email: u.email, password: TEST_PASSWORD }, { headers: https });
    expect(viaAction.redirect).toBe("/");
    const a = cookieNamed(viaAction.setCookies, /^__Secure-authjs\.session-token$/);
    expect(a.attrs).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=lax", "path=/"]));
  });

  it("with AUTH_URL=https://…: Secure cookies whatever the proxy says", async () => {
    const u = await createUser();
    const { setCookies } = await authJsSignIn(httpsApp.url, u.email, TEST_PASSWORD);
    const s = cookieNamed(setCookies, /^__Secure-authjs\.session-token$/);
    expect(s.attrs).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=lax"]));
  });
});

describe("sign-out", () => {
  it("invalidates the old cookie everywhere: a copy kept by an attacker opens nothing", async () => {
    const u = await createUser();
    const cookie = await signInCookie(app.url, u.email, TEST_PASSWORD);
    const before = await fetch(`${app.url}/account`, { headers: { cookie }, redirect: "manual" });
    expect(before.status).toBe(200);
    expect(await before.text()).toContain(u.email);
    expect((await call(`${app.url}/api/v1/auth/profile`, { headers: { cookie } })).status).toBe(200);

    const out = await postAction(app.url, serverActions().signOutAction.id, {}, { cookie, plainForm: true });
    expect(new URL(out.redirect!, app.url).pathname).toBe("/");
    expect(
      out.setCookies.some((c) => c.startsWith("authjs.session-token=;") || /authjs\.session-token=[^;]*;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i.test(c)),
    ).toBe(true);
    const [after] = await db().select().from(users).where(eq(users.id, u.id));
    expect(after.sessionVersion).toBe(u.sessionVersion + 1);

    // The copied cookie: pages send to sign-in, REST says 401, actions say unauthorized.
    const page = await fetch(`${app.url}/account`, { headers: { cookie }, redirect: "manual" });
    expect([303, 307]).toContain(page.status);
    expect(page.headers.get("location")).toContain("/login");
    expect((await call(`${app.url}/api/v1/auth/profile`, { headers: { cookie } })).status).toBe(401);
    expect(outcome(await postAction(app.url, serverActions().holdSeatsAction.id, { eventId: crypto.randomUUID(), "seatIds[]": ["1"] }, { cookie }))).toBe(
      "unauthorized",
    );
    // Signing in again works.
    expect(await signInCookie(app.url, u.email, TEST_PASSWORD)).toContain("authjs.session-token");
  });
});

describe("brute force", () => {
  it("per account: after 5 guesses a minute even the right password is refused (429), from any IP, on every sign-in path", async () => {
    const u = await createUser();
    const guess = (password: string, ip: string) =>
      call(`${app.url}/api/v1/auth/login`, { json: { email: u.email, password }, headers: { "x-forwarded-for": ip } });
    for (let i = 0; i < 5; i++) expect((await guess(`wrong-${i}-password`, `198.51.100.${i + 1}`)).status).toBe(401);
    const blocked = await guess(TEST_PASSWORD, "198.51.100.77");
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: "rate_limited" });
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // The website's own paths hit the same limit.
    const viaAction = await postAction(
      app.url,
      serverActions().loginAction.id,
      { email: u.email, password: TEST_PASSWORD },
      { headers: { "x-forwarded-for": "198.51.100.78" } },
    );
    expect(viaAction.state).toMatchObject({ ok: false, formError: expect.stringMatching(/Too many sign-in attempts/) });
    expect(viaAction.setCookies.filter((c) => c.includes("session-token=") && !/Max-Age=0|1970/.test(c))).toEqual([]);
    const { setCookies } = await authJsSignIn(app.url, u.email, TEST_PASSWORD, { "x-forwarded-for": "198.51.100.79" });
    expect(setCookies.filter((c) => c.includes("session-token=") && !/Max-Age=0|1970/.test(c))).toEqual([]);
  });

  it("per IP: one address guessing across many accounts is stopped after 20 a minute", async () => {
    const ip = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const r = await call(`${app.url}/api/v1/auth/login`, {
        json: { email: `nobody-${i}-${crypto.randomUUID().slice(0, 6)}@example.test`, password: "guess-password" },
        headers: { "x-forwarded-for": ip },
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});
