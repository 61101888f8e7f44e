import { describe, expect, it } from "vitest";
import { buildIcs } from "@/app/(shop)/bookings/[reference]/calendar/ics";
import { parseEnv } from "@/lib/env";
import { safeNext, sameOriginRedirect } from "@/lib/auth/next-path";

// Safe defaults: production refuses the mock payment provider unless allowed on purpose; the
// redirect after sign-in stays on this site whatever `next` or `callbackUrl` says; calendar
// files escape every line break, so a title can never add a property of its own.

describe("production and the mock payment provider", () => {
  const production: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    DATABASE_URL: "postgres://u@127.0.0.1/x",
    AUTH_SECRET: "s".repeat(40),
    CRON_SECRET: "c".repeat(20),
  };

  it("refuses to start with the mock provider (the default), naming the two ways out", () => {
    expect(() => parseEnv({ ...production })).toThrow(/PAYMENT_PROVIDER: .*TESSERA_ALLOW_MOCK_PAYMENTS=1/);
    expect(() => parseEnv({ ...production, PAYMENT_PROVIDER: "mock" })).toThrow(/TESSERA_ALLOW_MOCK_PAYMENTS/);
  });

  it("starts with it when allowed on purpose (demo sites, load tests), and outside production", () => {
    expect(parseEnv({ ...production, TESSERA_ALLOW_MOCK_PAYMENTS: "1" }).PAYMENT_PROVIDER).toBe("mock");
    expect(parseEnv({ ...production, NODE_ENV: "development" }).PAYMENT_PROVIDER).toBe("mock");
    const stripe = { ...production, PAYMENT_PROVIDER: "stripe", STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x" };
    expect(() => parseEnv({ ...stripe, STRIPE_PUBLISHABLE_KEY: "pk_test_x" })).not.toThrow();
    expect(() => parseEnv(stripe)).toThrow(/STRIPE_PUBLISHABLE_KEY/); // the checkout page's card form needs it
  });
});

describe("production and the test-only switches", () => {
  const production: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    DATABASE_URL: "postgres://u@127.0.0.1/x",
    AUTH_SECRET: "s".repeat(40),
    CRON_SECRET: "c".repeat(20),
    TESSERA_ALLOW_MOCK_PAYMENTS: "1",
  };

  it.each([
    ["TESSERA_TEST_HOLD_DELAY_MS", "50"],
    ["TESSERA_TEST_UNGUARDED", "1"],
    ["TESSERA_TEST_FAULTS", "1"],
    ["TESSERA_TEST_MAIL_SCOPE", "someone-%"],
  ])("refuses %s in production; the test harness's own servers may set it", (name, value) => {
    expect(() => parseEnv({ ...production })).not.toThrow();
    expect(() => parseEnv({ ...production, [name]: value })).toThrow(/TESSERA_TEST_\* switches are for tests only/);
    expect(() => parseEnv({ ...production, [name]: value, TESSERA_ALLOW_TEST_SWITCHES: "1" })).not.toThrow();
    expect(() => parseEnv({ ...production, NODE_ENV: "test", [name]: value })).not.toThrow();
  });
});

describe("the redirect after sign-in", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeNext("/events/42?x=1#seats")).toBe("/events/42?x=1#seats");
    expect(safeNext("/account")).toBe("/account");
  });

  it.each([
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%2F%2Fevil.example",
    "/%5C%5Cevil.example",
    "/%09/evil.example",
    " /account",
    "javascript:alert(1)",
    "",
    "/" + "a".repeat(3000),
  ])("sends %j home", (next) => {
    expect(safeNext(next)).toBe("/");
  });

  it("Auth.js's callbackUrl: same origin only, malformed ones home instead of an error", () => {
    const baseUrl = "https://tickets.example";
    expect(sameOriginRedirect({ url: "/account", baseUrl })).toBe("https://tickets.example/account");
    expect(sameOriginRedirect({ url: "https://tickets.example/events?x=1", baseUrl })).toBe("https://tickets.example/events?x=1");
    for (const url of ["https://evil.example/", "//evil.example", "/\\evil.example", "http://[", "%", "https://tickets.example.evil.example/"]) {
      expect(sameOriginRedirect({ url, baseUrl })).toBe("https://tickets.example/");
    }
  });
});

describe("calendar files", () => {
  const event = (title: string) =>
    buildIcs({
      uid: "b1@tessera",
      title,
      startsAt: "2030-01-01T19:00:00Z",
      endsAt: "2030-01-01T22:00:00Z",
      location: "Hall\rDTSTART:19990101T000000Z",
      description: "Line one\u2028ATTENDEE:mailto:x@example.test",
      now: "2029-12-01T00:00:00Z",
    });

  it("escapes every line break, bare CR and Unicode separators included: no injected properties", () => {
    const ics = event("Show\r\nX-INJECTED:1\rX-CR:1\nX-LF:1");
    const lines = ics.split("\r\n");
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(lines.filter((l) => /^(X-INJECTED|X-CR|X-LF|ATTENDEE):/.test(l))).toEqual([]);
    expect(lines.filter((l) => l.startsWith("DTSTART:"))).toEqual(["DTSTART:20300101T190000Z"]);
    expect(lines).toContain("SUMMARY:Show\\nX-INJECTED:1\\nX-CR:1\\nX-LF:1");
  });
});
