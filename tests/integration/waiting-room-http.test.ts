import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ApiClient, isProblem, signedIn, startApiApp, type ApiResponse, type Principal } from "@/tests/helpers/api";
import type { App } from "@/tests/helpers/app";
import { createTestEvent } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { startPrivateRedis, type PrivateRedis } from "@/tests/helpers/private-redis";
import type { Problem, QueuePlace } from "@/tests/helpers/responses";
import { sleep, sleepUntil } from "@/tests/helpers/wait";
import { roomEvent } from "@/tests/helpers/waiting-room";

// The waiting room through the real app (`next start`): the REST hold endpoint refuses customers
// without a pass (403 queue_required with the way to the queue), the queue hands out passes as
// cookies and as JSON, a place survives a closed tab, and with Redis stopped the room fails safe:
// the queue answers 503 with Retry-After, its page still renders, nobody gets in without a pass,
// passes already handed out keep working, nothing answers 500.

let app: App;
let redis: PrivateRedis;
let customer: Principal;
let other: Principal;

beforeAll(async () => {
  redis = await startPrivateRedis();
  app = await startApiApp({ REDIS_URL: redis.url });
  [customer, other] = await Promise.all([signedIn(app), signedIn(app)]);
});

afterAll(async () => {
  await app?.stop();
  await redis?.close();
});

const V1 = "/api/v1";
const queuePath = (id: string) => `${V1}/events/${id}/queue`;
const holdPath = (id: string) => `${V1}/events/${id}/reservations`;

function cookies(res: ApiResponse<unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of res.headers.getSetCookie()) {
    const [pair, ...attrs] = c.split(";").map((s) => s.trim());
    const i = pair.indexOf("=");
    out[pair.slice(0, i)] = decodeURIComponent(pair.slice(i + 1));
    expect(attrs).toContain("HttpOnly");
    expect(attrs).toContain("SameSite=Lax");
    expect(attrs).toContain("Path=/");
  }
  return out;
}

function expectQueueRequired(res: ApiResponse<unknown>, eventId: string, reason?: string) {
  expect(res.status, res.text).toBe(403);
  expect(isProblem(res)).toBe(true);
  const body = res.body as Problem;
  expect(body.code).toBe("queue_required");
  expect(body.queueUrl).toBe(`/queue/${eventId}`);
  expect(body.joinUrl).toBe(queuePath(eventId));
  if (reason) expect(body.reason).toBe(reason);
}

describe("through the app", () => {
  test("no pass → 403 queue_required; join → pass (JSON and cookie) → hold; the pass is one account's", async () => {
    const { event, places } = await roomEvent({ opensInMs: -60_000, rate: 600 });
    expectQueueRequired(await customer.api.post(holdPath(event.id), { seatIds: [places[0].id] }), event.id, "missing");

    const anon = new ApiClient(app.url);
    const joined = await anon.post<QueuePlace>(queuePath(event.id));
    expect(joined.status, joined.text).toBe(200);
    expect(joined.body).toMatchObject({ eventId: event.id, state: "admitted", position: 0 });
    const jar = cookies(joined);
    expect(jar[`tq_v_${event.id}`]).toBe(joined.body.visitorToken);
    expect(jar[`tq_p_${event.id}`]).toBe(joined.body.pass);

    // Reload: the same place and the same admission.
    const again = await anon.get<QueuePlace>(queuePath(event.id), { headers: { "queue-token": joined.body.visitorToken! } });
    expect(again.body).toMatchObject({ state: "admitted", passExpiresAt: joined.body.passExpiresAt, visitorToken: joined.body.visitorToken });

    const pass = joined.body.pass!;
    const held = await customer.api.post(holdPath(event.id), { seatIds: [places[0].id] }, { headers: { "queue-pass": pass } });
    expect(held.status, held.text).toBe(201);
    // Browsers send the cookie instead of the header.
    const more = await customer.api.post(
      holdPath(event.id),
      { seatIds: [places[1].id] },
      { headers: { cookie: `tq_p_${event.id}=${encodeURIComponent(pass)}` } },
    );
    expect(more.status, more.text).toBe(201);
    // Someone else replaying it.
    expectQueueRequired(await other.api.post(holdPath(event.id), { seatIds: [places[2].id] }, { headers: { "queue-pass": pass } }), event.id, "used");
    // A pass of this event on another event with a room.
    const second = await roomEvent({ opensInMs: -60_000, rate: 600 });
    expectQueueRequired(
      await customer.api.post(holdPath(second.event.id), { seatIds: [second.places[0].id] }, { headers: { "queue-pass": pass } }),
      second.event.id,
      "invalid",
    );
    // Events without a room are unchanged.
    const plain = await createTestEvent();
    expect((await other.api.post(holdPath(plain.event.id), { seatIds: [plain.places[0].id] })).status).toBe(201);
    const off = await anon.post<QueuePlace>(queuePath(plain.event.id));
    expect(off.body).toMatchObject({ state: "off", visitorToken: null, pass: null });

    await expectIntegrity(event.id);
  });

  test("a place survives a closed tab; positions only move forward; the pages send people the right way", async () => {
    const { event, opensAt } = await roomEvent({ opensInMs: 2_000, rate: 60 }); // one a second
    const tokens: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await new ApiClient(app.url).post<QueuePlace>(queuePath(event.id));
      expect(r.body).toMatchObject({ state: "waiting", position: null, opened: false });
      tokens.push(r.body.visitorToken!);
    }
    await sleepUntil(opensAt + 100);
    // The draw at opening decided the order: follow whoever was drawn last.
    const drawn = await Promise.all(tokens.map((t) => new ApiClient(app.url).get<QueuePlace>(queuePath(event.id), { headers: { "queue-token": t } })));
    const lastDrawn = tokens[drawn.reduce((best, r, i) => ((r.body.position ?? 0) > (drawn[best].body.position ?? 0) ? i : best), 0)];
    // A brand-new client (the tab was closed) with the same cookie gets the same place back.
    const positions: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await new ApiClient(app.url).get<QueuePlace>(queuePath(event.id), { headers: { cookie: `tq_v_${event.id}=${lastDrawn}` } });
      expect(r.status).toBe(200);
      expect(r.body.visitorToken).toBe(lastDrawn);
      if (r.body.state === "waiting") positions.push(r.body.position!);
      await sleep(700);
    }
    expect(positions.length).toBeGreaterThan(1);
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeLessThanOrEqual(positions[i - 1]);
    expect(positions.at(-1)!).toBeLessThan(positions[0]);

    const page = await new ApiClient(app.url).get(`/queue/${event.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Waiting room");
    expect((await new ApiClient(app.url).get(`/queue/${crypto.randomUUID()}`)).status).toBe(404);
    const plain = await createTestEvent();
    const toEvent = await new ApiClient(app.url).get(`/queue/${plain.event.id}`);
    expect(toEvent.status).toBe(307);
    expect(toEvent.headers.get("location")).toContain(`/events/${plain.event.id}`);
  });

  test("Redis down: the queue waits (503 + Retry-After), its page renders, no pass → no hold, issued passes keep working", async () => {
    const { event, places } = await roomEvent({ opensInMs: -60_000, rate: 600 });
    const before = await new ApiClient(app.url).post<QueuePlace>(queuePath(event.id));
    expect(before.body.state).toBe("admitted");
    const pass = before.body.pass!;
    const visitorToken = before.body.visitorToken!;

    await redis.stop();
    try {
      await sleep(2_500); // past the in-process settings cache
      const down = new ApiClient(app.url, null, undefined, false);
      for (const res of [await down.post(queuePath(event.id)), await down.get(queuePath(event.id), { headers: { "queue-token": visitorToken } })]) {
        expect(res.status, res.text).toBe(503);
        expect(isProblem(res)).toBe(true);
        expect(res.headers.get("retry-after")).toBe("5");
      }
      const page = await down.get(`/queue/${event.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain("Waiting room");

      expectQueueRequired(await customer.api.post(holdPath(event.id), { seatIds: [places[0].id] }), event.id, "missing");
      const forged = `${pass.slice(0, -4)}AAAA`;
      expectQueueRequired(await customer.api.post(holdPath(event.id), { seatIds: [places[0].id] }, { headers: { "queue-pass": forged } }), event.id, "invalid");
      const held = await customer.api.post(holdPath(event.id), { seatIds: [places[0].id] }, { headers: { "queue-pass": pass } });
      expect(held.status, held.text).toBe(201);
      expect((await down.get(`${V1}/health`)).status).toBeLessThan(600); // the process is alive
    } finally {
      await redis.start();
    }
    // Back (empty, persistence is off): the same visitor token simply takes a place again.
    await sleep(500);
    const back = await new ApiClient(app.url).post<QueuePlace>(queuePath(event.id), undefined, { headers: { "queue-token": visitorToken } });
    expect(back.status, back.text).toBe(200);
    expect(["admitted", "waiting"]).toContain(back.body.state);
    expect(app.output()).not.toMatch(/request\.failed/);
  });

  test("bad input is a 400 problem, an unknown event a 404, never a 500", async () => {
    const anon = new ApiClient(app.url);
    const bad = await anon.post(queuePath("not-a-uuid"));
    expect(bad.status).toBe(400);
    expect(isProblem(bad)).toBe(true);
    const unknown = await anon.get(queuePath(crypto.randomUUID()), { headers: { "queue-token": "x".repeat(500) } });
    expect(unknown.status).toBe(404);
    expect(isProblem(unknown)).toBe(true);
  });
});
