import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, shareAppSecrets, type App } from "@/tests/helpers/app";
import { TEST_PASSWORD, createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { signInCookie } from "@/tests/helpers/sign-in";
import { sleep } from "@/tests/helpers/wait";

shareAppSecrets();

// Visitors leave in the middle of requests all the time: a tab closed while the live dashboard
// polls, a phone losing signal while the seat map loads. Against a production build, requests
// dropped at every point of their life must leave nothing unhandled in the server's log, and
// the server answering as before.

let app: App;
let cookie: string;
let eventId: string;

beforeAll(async () => {
  app = await startApp({ env: { RATE_LIMIT_LOGIN_IP: "500/60", RATE_LIMIT_LOGIN_ACCOUNT: "500/60" } });
  const organizer = await createUser("ORGANIZER");
  ({
    event: { id: eventId },
  } = await createTestEvent({ organizer, sections: [seats(10, 20)] }));
  cookie = await signInCookie(app.url, organizer.email, TEST_PASSWORD);
}, 600_000);

afterAll(async () => {
  await app?.stop();
});

/** Starts a request and drops it after `ms` (the connection closes, as when a tab goes away). */
async function abandon(path: string, ms: number, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    const res = await fetch(`${app.url}${path}`, { headers, signal: controller.signal });
    await res.arrayBuffer();
  } catch {
    // aborted: what the visitor did
  } finally {
    clearTimeout(timer);
  }
}

describe("requests the visitor abandons", () => {
  it("leave nothing unhandled: the live dashboard, the seat map's data and the event page", async () => {
    const targets: [string, Record<string, string>][] = [
      [`/admin/events/${eventId}/live`, { cookie, accept: "application/json" }],
      [`/admin/events/${eventId}`, { cookie }],
      [`/api/v1/events/${eventId}/inventory`, {}],
      [`/events/${eventId}`, {}],
    ];
    for (let round = 0; round < 6; round++) {
      await Promise.all(targets.flatMap(([path, headers]) => [0, 2, 5, 10, 25, 60].map((ms) => abandon(path, ms + round, headers))));
    }
    await sleep(1500); // whatever was still running on the server for them finishes now
    const res = await fetch(`${app.url}/admin/events/${eventId}/live`, { headers: { cookie, accept: "application/json" } });
    expect(res.status).toBe(200);
    expect(app.child.exitCode).toBeNull();
    expect(app.output()).not.toMatch(/unhandled|uncaught/i);
  }, 180_000);
});
