import crypto from "node:crypto";
import { EncryptJWT } from "jose";
import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken, readSession, renewedToken, RENEW_AFTER_SECONDS, sessionCookieName, sessionToken } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";

// The session cookie decoder (lib/auth/session-cookie.ts) against tokens made by Auth.js's own
// encoder: it must accept exactly what Auth.js accepts and nothing else.

const NAME = "authjs.session-token";
const claims = { sub: crypto.randomUUID(), role: "CUSTOMER", sv: 3, name: "Ada", email: "ada@example.test" };
const mint = (payload: Record<string, unknown> = claims, salt = NAME, maxAge = 3600) => encode({ token: payload, secret: env().AUTH_SECRET!, salt, maxAge });
const jar = (values: Record<string, string>) => ({ get: (n: string) => (n in values ? { value: values[n] } : undefined) });

/** A token as Auth.js would have issued it `ageSeconds` ago. */
async function issuedAgo(ageSeconds: number, maxAge = 7 * 86400) {
  const key = new Uint8Array(crypto.hkdfSync("sha256", env().AUTH_SECRET!, NAME, `Auth.js Generated Encryption Key (${NAME})`, 64));
  const iat = Math.floor(Date.now() / 1000) - ageSeconds;
  return new EncryptJWT({ ...claims })
    .setProtectedHeader({ alg: "dir", enc: "A256CBC-HS512" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + maxAge)
    .setJti(crypto.randomUUID())
    .encrypt(key);
}

describe("session cookie", () => {
  it("reads Auth.js's tokens", async () => {
    const token = await mint();
    expect(decodeSessionToken(token, NAME)).toMatchObject({ sub: claims.sub, role: "CUSTOMER", sv: 3, payload: { name: "Ada" } });
  });

  it("refuses a token altered anywhere, made for another cookie name, or expired", async () => {
    const token = await mint();
    const parts = token.split(".");
    const flip = (i: number) => {
      const p = [...parts];
      const bytes = Buffer.from(p[i], "base64url");
      bytes[bytes.length >> 1] ^= 1;
      p[i] = bytes.toString("base64url");
      return p.join(".");
    };
    for (const i of [0, 2, 3, 4]) expect(decodeSessionToken(flip(i), NAME), `part ${i}`).toBeNull();
    expect(decodeSessionToken(token, "__Secure-authjs.session-token")).toBeNull();
    expect(decodeSessionToken(await mint(claims, NAME, -60), NAME)).toBeNull();
    expect(decodeSessionToken("a.b.c.d.e", NAME)).toBeNull();
    expect(decodeSessionToken("", NAME)).toBeNull();
  });

  it("picks the cookie Auth.js would read, and joins a token split into chunks", async () => {
    expect(sessionCookieName(new Headers({ "x-forwarded-proto": "https" }))).toBe("__Secure-authjs.session-token");
    expect(sessionCookieName(new Headers({ "x-forwarded-proto": "http" }))).toBe(NAME);
    const token = await mint();
    const chunks = { [`${NAME}.0`]: token.slice(0, 100), [`${NAME}.1`]: token.slice(100) };
    expect(sessionToken(jar(chunks), NAME)).toBe(token);
    expect(readSession(jar(chunks), new Headers({ "x-forwarded-proto": "http" }))?.sub).toBe(claims.sub);
    expect(readSession(jar({ [NAME]: token }), new Headers({ "x-forwarded-proto": "https" }))).toBeNull(); // not the https cookie
  });

  it("renews only a session older than a day, keeping its claims", async () => {
    const fresh = decodeSessionToken(await issuedAgo(60), NAME)!;
    expect(await renewedToken(fresh, NAME, 7 * 86400)).toBeNull();
    const old = decodeSessionToken(await issuedAgo(RENEW_AFTER_SECONDS + 60), NAME)!;
    const renewed = decodeSessionToken((await renewedToken(old, NAME, 7 * 86400))!, NAME)!;
    expect(renewed).toMatchObject({ sub: claims.sub, sv: 3, role: "CUSTOMER", payload: { email: claims.email } });
    expect(renewed.iat).toBeGreaterThan(old.iat + RENEW_AFTER_SECONDS);
    expect(renewed.exp).toBeGreaterThan(old.exp);
  });
});
