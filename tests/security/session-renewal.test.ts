import crypto from "node:crypto";
import { EncryptJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, TEST_SECRETS, type App } from "@/tests/helpers/app";
import { createUser, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { signInCookie } from "@/tests/helpers/sign-in";

// The session cookie is decoded, not re-encrypted, on each request (lib/auth/session-cookie.ts):
// a page answers without a new cookie while the session is fresh, renews it once it is a day old,
// and the account pages still need a valid one. Sign-out everywhere is in sessions.test.ts.

const NAME = "authjs.session-token";
let app: App;

beforeAll(async () => {
  app = await startApp();
}, 180_000);
afterAll(async () => {
  await app?.stop();
});

async function tokenIssuedAgo(claims: Record<string, unknown>, ageSeconds: number) {
  const key = new Uint8Array(crypto.hkdfSync("sha256", TEST_SECRETS.AUTH_SECRET, NAME, `Auth.js Generated Encryption Key (${NAME})`, 64));
  const iat = Math.floor(Date.now() / 1000) - ageSeconds;
  return new EncryptJWT(claims)
    .setProtectedHeader({ alg: "dir", enc: "A256CBC-HS512" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + 7 * 86400)
    .setJti(crypto.randomUUID())
    .encrypt(key);
}

const page = (path: string, cookie?: string) => fetch(app.url + path, { headers: cookie ? { cookie } : {}, redirect: "manual" });
const sessionCookies = (res: Response) => res.headers.getSetCookie().filter((c) => c.startsWith(`${NAME}=`));

describe("session cookie on page requests", () => {
  it("a fresh session: the account page opens and no cookie is written", async () => {
    const u = await createUser();
    const cookie = await signInCookie(app.url, u.email, TEST_PASSWORD);
    const res = await page("/account", cookie);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(u.name);
    expect(sessionCookies(res)).toEqual([]);
  });

  it("a day-old session is renewed on the next page request, with the same account", async () => {
    const u = await createUser();
    const old = await tokenIssuedAgo({ sub: u.id, role: u.role, sv: u.sessionVersion, name: u.name, email: u.email }, 2 * 86400);
    const res = await page("/account", `${NAME}=${old}`);
    expect(res.status).toBe(200);
    const [renewed] = sessionCookies(res);
    expect(renewed).toMatch(/HttpOnly/i);
    expect(renewed).toMatch(/SameSite=Lax/i);
    const again = await page("/account", renewed.split(";")[0]);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain(u.name);
  });

  it("no session, a forged one or one of a revoked version: the account pages send to sign-in", async () => {
    const u = await createUser();
    expect((await page("/account")).headers.get("location")).toContain("/login?next=%2Faccount");
    const forged = (await tokenIssuedAgo({ sub: u.id, role: "ADMIN", sv: u.sessionVersion }, 10)).slice(0, -4) + "AAAA";
    expect((await page("/account", `${NAME}=${forged}`)).headers.get("location")).toContain("/login");
    const stale = await tokenIssuedAgo({ sub: u.id, role: u.role, sv: u.sessionVersion + 1 }, 10);
    const res = await page("/account", `${NAME}=${stale}`);
    expect(res.status === 307 || res.status === 303 || res.status === 302 ? res.headers.get("location") : await res.text()).toContain("/login");
  });
});
