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
//  - Guessing passwords is throttled per account and address and per address; a stranger's
//    guesses never lock the owner out (lib/auth/sign-in-limits.ts).

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

  it("Auth.js's own /api/auth/signout signs out the same way: the copied cookie stops working", async () => {
    const u = await createUser();
    const cookie = await signInCookie(app.url, u.email, TEST_PASSWORD);
    expect((await call(`${app.url}/api/v1/auth/profile`, { headers: { cookie } })).status).toBe(200);
    const csrf = await fetch(`${app.url}/api/auth/csrf`, { headers: { cookie } });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const out = await fetch(`${app.url}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ csrfToken, callbackUrl: "/" }),
    });
    expect(out.status).toBe(302);
    const [after] = await db().select().from(users).where(eq(users.id, u.id));
    expect(after.sessionVersion).toBe(u.sessionVersion + 1);
    expect((await call(`${app.url}/api/v1/auth/profile`, { headers: { cookie } })).status).toBe(401);
    const page = await fetch(`${app.url}/account`, { headers: { cookie }, redirect: "manual" });
    expect(page.headers.get("location")).toContain("/login");
  });
});

describe("where sign-in sends you", () => {
  it("only to a path on this site: backslashes, encoded slashes and other origins go home", async () => {
    const u = await createUser();
    const via = (next: string) =>
      postAction(app.url, serverActions().loginAction.id, { email: u.email, password: TEST_PASSWORD, next }, { headers: { "x-forwarded-for": testIp() } });
    expect((await via("/account?tab=1")).redirect).toBe("/account?tab=1");
    for (const next of ["/\\evil.example", "//evil.example", "/%2F%2Fevil.example", "https://evil.example/", "/\t/evil.example"]) {
      expect((await via(next)).redirect, next).toBe("/");
    }
  });

  it("Auth.js's routes: a malformed or foreign callbackUrl is never a 500 and never leaves the site", async () => {
    const u = await createUser();
    // Where an ordinary sign-in lands: the site's own origin as Auth.js sees it.
    const home = new URL((await authJsSignIn(app.url, u.email, TEST_PASSWORD, {}, "/")).res.headers.get("location")!);
    expect(home.pathname).toBe("/");
    for (const callbackUrl of ["http://[", "https://evil.example/", "/\\evil.example", "%zz"]) {
      const page = await fetch(`${app.url}/api/auth/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`, { redirect: "manual" });
      expect(page.status, callbackUrl).toBeLessThan(500);
      const { res } = await authJsSignIn(app.url, u.email, TEST_PASSWORD, {}, callbackUrl);
      expect(res.status, callbackUrl).toBe(302);
      expect(new URL(res.headers.get("location")!).origin, callbackUrl).toBe(home.origin);
      // The same value in Auth.js's callback-url cookie is dropped, never a 500.
      for (const path of ["/api/auth/signin", "/api/auth/session", "/api/auth/csrf"]) {
        const viaCookie = await fetch(`${app.url}${path}`, {
          headers: { cookie: `authjs.callback-url=${encodeURIComponent(callbackUrl)}` },
          redirect: "manual",
        });
        expect(viaCookie.status, `${path} with cookie ${callbackUrl}`).toBeLessThan(500);
      }
    }
  });
});

describe("brute force", () => {
  it("per account and address: a stranger's 5 guesses a minute lock out the stranger's address on every sign-in path, never the owner elsewhere", async () => {
    const u = await createUser();
    const stranger = `198.51.100.${1 + Math.floor(Math.random() * 200)}`;
    const guess = (password: string, ip: string) =>
      call(`${app.url}/api/v1/auth/login`, { json: { email: u.email, password }, headers: { "x-forwarded-for": ip } });
    for (let i = 0; i < 5; i++) expect((await guess(`wrong-${i}-password`, stranger)).status).toBe(401);
    const blocked = await guess(TEST_PASSWORD, stranger);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: "rate_limited" });
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // The website's own paths hit the same limit from that address...
    const viaAction = await postAction(
      app.url,
      serverActions().loginAction.id,
      { email: u.email, password: TEST_PASSWORD },
      { headers: { "x-forwarded-for": stranger } },
    );
    expect(viaAction.state).toMatchObject({ ok: false, formError: expect.stringMatching(/Too many sign-in attempts/) });
    expect(viaAction.setCookies.filter((c) => c.includes("session-token=") && !/Max-Age=0|1970/.test(c))).toEqual([]);
    const refused = await authJsSignIn(app.url, u.email, TEST_PASSWORD, { "x-forwarded-for": stranger });
    expect(refused.setCookies.filter((c) => c.includes("session-token=") && !/Max-Age=0|1970/.test(c))).toEqual([]);
    // ...while the owner, from their own address, signs in on every path.
    expect((await guess(TEST_PASSWORD, testIp())).status).toBe(200);
    const owner = await postAction(
      app.url,
      serverActions().loginAction.id,
      { email: u.email, password: TEST_PASSWORD },
      { headers: { "x-forwarded-for": testIp() } },
    );
    expect(owner.redirect).toBe("/");
    const ownerAuthJs = await authJsSignIn(app.url, u.email, TEST_PASSWORD);
    expect(ownerAuthJs.setCookies.some((c) => /^authjs\.session-token=[^;]+/.test(c))).toBe(true);
  });

  it("per IP: one address guessing across many accounts is stopped after 20 a minute", async () => {
    const ip = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 23; i++) {
      const r = await call(`${app.url}/api/v1/auth/login`, {
        json: { email: `nobody-${i}-${crypto.randomUUID().slice(0, 6)}@example.test`, password: "guess-password" },
        headers: { "x-forwarded-for": ip },
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    // The sliding window weighs the previous minute's count by how much of it is still inside the
    // window, so a burst that straddles a minute boundary may get one guess more; never two.
    expect([401, 429]).toContain(statuses[20]);
    expect(statuses.slice(21)).toEqual([429, 429]);
  });
});
