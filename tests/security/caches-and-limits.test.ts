import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRedis } from "@/lib/redis";
import { getRoomSettings } from "@/lib/waiting-room/settings";
import { startApp, type App } from "@/tests/helpers/app";
import { createTestEvent, seats } from "@/tests/helpers/fixtures";
import { testIp } from "@/tests/helpers/sign-in";

// Caches and limits an outsider cannot grow or dodge: every id is spelled one way before it
// becomes a key (lib/ids.ts), a malformed id never reaches a cache or PostgreSQL, and the public
// seat-map endpoints (live availability and layout) are limited per client address.

async function keysOf(pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await getRedis()!.scan(cursor, { match: pattern, count: 1000 });
    cursor = String(next);
    out.push(...batch);
  } while (cursor !== "0");
  return out.sort();
}

const spellings = (id: string) => [id, id.toUpperCase(), id.replace(/[a-f]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c))];

describe("one key per id, whatever its spelling", () => {
  it("waiting-room settings: every spelling reads one cached entry; a malformed id touches no cache", async () => {
    const { event } = await createTestEvent({ sections: [seats(1, 2)] });
    for (const id of spellings(event.id)) expect(await getRoomSettings(id)).toMatchObject({ eventId: event.id, exists: true });
    const cached = (await keysOf("wr:{*}:cfg")).filter((k) => k.toLowerCase().includes(event.id));
    expect(cached).toEqual([`wr:{${event.id}}:cfg`]);

    const odd = `not-a-uuid-${crypto.randomUUID()}`;
    expect(await getRoomSettings(odd)).toMatchObject({ exists: false });
    expect(await keysOf(`wr:{${odd}}:*`)).toEqual([]);
  });
});

describe("the public seat-map endpoints", () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ env: { RATE_LIMIT_SEAT_MAP: "4/60" } });
  });
  afterAll(() => app?.stop());

  it("answer every spelling of an event id alike, and are limited per client address", async () => {
    const { event } = await createTestEvent({ sections: [seats(1, 3)] });
    const me = testIp();
    const get = (id: string, what: "inventory" | "seats", ip = me) => fetch(`${app.url}/api/v1/events/${id}/${what}`, { headers: { "x-forwarded-for": ip } });

    const [lower, upper] = [await get(event.id, "inventory"), await get(event.id.toUpperCase(), "inventory")];
    expect([lower.status, upper.status]).toEqual([200, 200]);
    expect(upper.headers.get("etag")).toBe(lower.headers.get("etag"));
    expect((await get(event.id, "seats")).status).toBe(200);
    expect((await get(event.id, "seats")).status).toBe(200);

    // Both endpoints draw on one budget per address: past it they are refused. (A limit fails
    // open when Redis misses its deadline, so on a loaded machine the refusal may come a request
    // or two late; it must come, and never before the budget is spent.)
    let first429 = 0;
    for (let i = 5; i <= 12 && !first429; i++) if ((await get(event.id, i % 2 ? "inventory" : "seats")).status === 429) first429 = i;
    expect(first429).toBeGreaterThanOrEqual(5);
    for (const what of ["inventory", "seats"] as const) {
      const refused = await get(event.id, what);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ code: "rate_limited" });
    }
    // Another address is not affected.
    expect((await get(event.id, "inventory", testIp())).status).toBe(200);
  });
});
