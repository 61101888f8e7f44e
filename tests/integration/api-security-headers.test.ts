import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ApiClient, isProblem, signedIn, startApiApp } from "@/tests/helpers/api";
import type { App } from "@/tests/helpers/app";
import { createTestEvent } from "@/tests/helpers/fixtures";

// Security headers on pages and on every API response (errors included), a fresh CSP nonce per
// page that matches the nonces on the page's scripts, HSTS in production (`next start`), and
// CORS for /api/v1 from the CORS_ORIGINS allowlist only, preflight included.

const PARTNER = "https://box-office.example";
const OTHER_PARTNER = "http://partner.example:8080";

let app: App;
let eventId: string;

beforeAll(async () => {
  app = await startApiApp({ CORS_ORIGINS: `${PARTNER}, ${OTHER_PARTNER}/ , not a url` });
  eventId = (await createTestEvent()).event.id;
});

afterAll(async () => {
  await app?.stop();
});

const anon = () => new ApiClient(app.url);

function expectCommon(headers: Headers) {
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("x-frame-options")).toBe("DENY");
  expect(headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
  expect(headers.get("x-powered-by")).toBeNull();
  expect(headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
}

describe("pages", () => {
  test.each(["/", "/login", "/register", `/events/{event}`, "/api/docs", "/no-such-page"])("%s carries a nonce CSP and the security headers", async (path) => {
    const res = await anon().get(path.replace("{event}", eventId));
    expect(res.status).toBeLessThan(500);
    expectCommon(res.headers);
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const csp = res.headers.get("content-security-policy")!;
    const nonce = csp.match(/script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/)?.[1];
    expect(nonce, csp).toBeTruthy();
    for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]) expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    // Every script the page ships carries this request's nonce.
    const scripts = [...res.text.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("each page view gets a fresh nonce", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) nonces.add((await anon().get("/")).headers.get("content-security-policy")!.match(/'nonce-([^']+)'/)![1]);
    expect(nonces.size).toBe(5);
  });

  test("the sign-in redirect of a protected page carries the headers too", async () => {
    const res = await anon().get("/account");
    expect(res.status).toBe(307);
    expectCommon(res.headers);
  });
});

describe("API responses", () => {
  test.each([
    ["GET", "/api/v1/events", 200],
    ["GET", "/api/v1/openapi.json", 200],
    ["GET", "/api/v1/auth/profile", 401],
    ["GET", "/api/v1/events/not-a-uuid", 400],
    ["GET", "/api/v1/nothing/here", 404],
    ["POST", "/api/v1/auth/login", 415],
    ["GET", "/api/v1/health", 200],
  ] as const)("%s %s → %i with strict headers", async (method, path, status) => {
    const res = await anon().request(method, path, method === "POST" ? { body: "x", headers: { "content-type": "text/plain" } } : {});
    expect(res.status).toBe(status);
    expectCommon(res.headers);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    if (status >= 400) expect(isProblem(res)).toBe(true);
  });

  test("signed-in answers are not cached", async () => {
    const who = await signedIn(app);
    expect((await who.api.get("/api/v1/auth/profile")).headers.get("cache-control")).toBe("no-store");
  });
});

describe("CORS for /api/v1", () => {
  test("an allowed origin may read responses, errors included; nothing for other origins", async () => {
    for (const origin of [PARTNER, OTHER_PARTNER]) {
      const ok = await anon().get("/api/v1/events", { headers: { origin } });
      expect(ok.headers.get("access-control-allow-origin")).toBe(origin);
      expect(ok.headers.get("access-control-expose-headers")).toContain("RateLimit-Remaining");
      expect(ok.headers.get("access-control-allow-credentials")).toBeNull();
      expect(ok.headers.get("vary")).toContain("Origin");
      const error = await anon().get("/api/v1/auth/profile", { headers: { origin } });
      expect(error.status).toBe(401);
      expect(error.headers.get("access-control-allow-origin")).toBe(origin);
    }
    for (const origin of ["https://evil.example", "https://box-office.example.evil.com", "null", `${PARTNER}:444`]) {
      const res = await anon().get("/api/v1/events", { headers: { origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  test("preflight: 204 with the allowed methods and headers for an allowed origin, 403 otherwise", async () => {
    const preflight = (origin: string, path = "/api/v1/bookings/confirm") =>
      anon().request("OPTIONS", path, {
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, idempotency-key" },
      });
    const ok = await preflight(PARTNER);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expect(ok.headers.get("access-control-allow-methods")).toContain("POST");
    expect(ok.headers.get("access-control-allow-headers")!.toLowerCase()).toContain("idempotency-key");
    expect(Number(ok.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    const denied = await preflight("https://evil.example");
    expect(denied.status).toBe(403);
    expect(isProblem(denied)).toBe(true);
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("pages and the rest of /api are not opened to other origins", async () => {
    for (const path of ["/", "/api/docs", "/api/auth/session"]) {
      const res = await anon().get(path, { headers: { origin: PARTNER } });
      expect(res.headers.get("access-control-allow-origin"), path).toBeNull();
    }
  });
});
