import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTE_LIMITS } from "@/lib/api/limits";
import { postAction, serverActions } from "@/tests/helpers/actions";
import { createUser, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { RELAXED_LIMITS, startApp, type App } from "@/tests/helpers/app";
import { CountingProxy, viaProxy } from "@/tests/helpers/round-trips";
import { signInCookie, testIp } from "@/tests/helpers/sign-in";

// Every public endpoint has a limit. The walk below reads app/api/v1 itself, so a new route.ts
// cannot slip in without a line in lib/api/limits.ts; then every endpoint counted per client
// address is called until it answers 429. The few that count a policy of their own inside their
// use case are proven where that policy lives (listed in OWN_LIMIT_TESTS). Last, a made-up but
// well-formed event id asked for again and again costs PostgreSQL one read, not one per request.

const API_DIR = path.resolve(import.meta.dirname, "../../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** "METHOD /template" for every handler under app/api/v1, except the catch-all 404. */
function walkRoutes(dir = API_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name.startsWith("[...") ? [] : walkRoutes(p);
    if (d.name !== "route.ts") return [];
    const source = fs.readFileSync(p, "utf8");
    const template =
      "/" +
      path
        .relative(API_DIR, dir)
        .split(path.sep)
        .map((s) => s.replace(/^\[(.+)\]$/, "{$1}"))
        .join("/");
    return METHODS.filter((m) => new RegExp(`export const ${m}\\b|export \\{[^}]*\\bas ${m}\\b`).test(source)).map((m) => `${m} ${template}`);
  });
}

// Where each endpoint that counts its own policy is shown answering 429.
const OWN_LIMIT_TESTS: Record<string, string> = {
  "POST /auth/login": "tests/integration/api-rate-limit.test.ts",
  "POST /auth/register": "tests/integration/api-rate-limit.test.ts",
  "POST /events/{eventId}/reservations": "tests/integration/api-rate-limit.test.ts",
  "POST /bookings/confirm": "tests/integration/api-rate-limit.test.ts",
  "POST /events/{eventId}/queue": "tests/security/client-address.test.ts",
};

const LIMIT = 3;
const RUN = crypto.getRandomValues(new Uint16Array(1))[0].toString(16);
let addresses = 0;
let pg: CountingProxy & { port: number };
let app: App;

beforeAll(async () => {
  pg = await CountingProxy.start("postgres", { host: new URL(process.env.DATABASE_URL!).hostname, port: Number(new URL(process.env.DATABASE_URL!).port) });
  app = await startApp({
    env: {
      ...RELAXED_LIMITS,
      DATABASE_URL: viaProxy(process.env.DATABASE_URL!, pg.port),
      RATE_LIMIT_API: `${LIMIT}/60`,
      RATE_LIMIT_SEAT_MAP: `${LIMIT}/60`,
      RATE_LIMIT_QUEUE_POLL: `${LIMIT}/60`,
      RATE_LIMIT_ACTION: `${LIMIT}/60`,
    },
  });
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await pg?.close();
});

describe("every /api/v1 endpoint is limited", () => {
  it("the limit table names every route handler, and nothing else", () => {
    const routes = walkRoutes().sort();
    expect(routes.length).toBeGreaterThan(30);
    expect(Object.keys(ROUTE_LIMITS).sort()).toEqual(routes);
    for (const [key, limit] of Object.entries(ROUTE_LIMITS)) {
      if ("static" in limit) {
        // Built once and served from the cache: the route must really be static.
        const file = path.join(API_DIR, key.split(" ")[1].replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
        expect(fs.readFileSync(file, "utf8"), key).toMatch(/export const dynamic = "force-static"/);
      }
      if ("own" in limit) {
        const where = OWN_LIMIT_TESTS[key];
        expect(where, `${key} counts its own policy: name the test that shows its 429`).toBeDefined();
        expect(fs.readFileSync(path.resolve(import.meta.dirname, "../..", where), "utf8")).toMatch(/429|rate_limited/);
      }
    }
  });

  const fill = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => (name === "reference" ? "ABCD-EFGH" : crypto.randomUUID()));

  /**
   * Sends from one fresh address until the first 429; how many got through before it. The
   * address is a /64 of the documentation range no other test speaks from (testIp() draws from
   * 65,536 addresses, and files running alongside could share one with this test's budgets).
   */
  async function untilLimited(method: string, url: string) {
    const ip = `2001:db8:${RUN}:${(++addresses).toString(16)}::1`;
    for (let i = 0; i < LIMIT + 6; i++) {
      const res = await fetch(url, {
        method,
        headers: { "x-forwarded-for": ip, ...(method === "GET" || method === "DELETE" ? {} : { "content-type": "application/json" }) },
        body: method === "GET" || method === "DELETE" ? undefined : "{}",
      });
      if (res.status === 429) return { passed: i, res };
      expect(res.status, `${method} ${url} answered ${res.status} before its limit`).toBeLessThan(500);
    }
    throw new Error(`${method} ${url}: no 429 after ${LIMIT + 6} requests`);
  }

  it("each endpoint counted per client address answers 429 past its limit, with Retry-After", async () => {
    const counted = Object.entries(ROUTE_LIMITS).filter(([, l]) => "policy" in l);
    expect(counted.length).toBeGreaterThan(25);
    for (const [key] of counted) {
      const [method, template] = key.split(" ");
      const { passed, res } = await untilLimited(method, `${app.url}/api/v1${fill(template)}`);
      // A limit fails open when Redis misses its deadline, so on a loaded machine the 429 may come
      // a request late; it must come, and never before the budget is spent.
      expect(passed, key).toBeGreaterThanOrEqual(LIMIT);
      expect(res.headers.get("content-type"), key).toBe("application/problem+json");
      expect(Number(res.headers.get("retry-after")), key).toBeGreaterThan(0);
      expect(((await res.json()) as { code: string }).code, key).toBe("rate_limited");
    }
  }, 120_000);

  it("an unknown /api/v1 path is limited too (404 until then)", async () => {
    const { passed } = await untilLimited("GET", `${app.url}/api/v1/no-such-endpoint`);
    expect(passed).toBeGreaterThanOrEqual(LIMIT);
  });
});

describe("every server action is limited", () => {
  /** Posts until the action answers rate_limited; how many got through before it. */
  async function untilRefused(post: () => Promise<{ state: { code?: string } | null; status: number }>) {
    for (let i = 0; i < LIMIT + 6; i++) {
      const reply = await post();
      expect(reply.status).toBeLessThan(500);
      if (reply.state?.code === "rate_limited") return i;
    }
    throw new Error(`no rate_limited after ${LIMIT + 6} posts`);
  }

  it("a signed-in form per account (action), an anonymous one per client address (publicAction)", async () => {
    const actions = serverActions();
    const user = await createUser();
    const cookie = await signInCookie(app.url, user.email, TEST_PASSWORD);
    const leave = () => postAction(app.url, actions.leaveWaitlistAction.id, { eventId: crypto.randomUUID() }, { cookie });
    expect(await untilRefused(leave)).toBeGreaterThanOrEqual(LIMIT);

    const ip = `2001:db8:${RUN}:${(++addresses).toString(16)}::1`;
    const forgot = () =>
      postAction(app.url, actions.forgotPasswordAction.id, { email: `nobody-${crypto.randomUUID()}@example.test` }, { headers: { "x-forwarded-for": ip } });
    expect(await untilRefused(forgot)).toBeGreaterThanOrEqual(LIMIT);
  });
});

describe("made-up event ids", () => {
  it("a well-formed id that names no event costs one PostgreSQL read, however often it is asked for", async () => {
    const id = crypto.randomUUID();
    pg.take();
    for (let i = 0; i < 2; i++) {
      // Each request from its own address: this is about reads, not limits.
      for (const what of ["", "/seats", "/inventory"]) {
        const res = await fetch(`${app.url}/api/v1/events/${i ? id.toUpperCase() : id}${what}`, { headers: { "x-forwarded-for": testIp() } });
        expect(res.status, what).toBe(404);
      }
    }
    // One statement, whatever it costs the driver to prepare it on a connection the first time.
    const { messages } = pg.take();
    expect(
      messages.filter((m) => !m.startsWith("prepare")),
      messages.join("\n"),
    ).toHaveLength(1);
  });
});
