import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { postAction, serverActions, type ActionReply } from "@/tests/helpers/actions";
import { startApp, type App } from "@/tests/helpers/app";
import { createTestEvent, createUser, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { signInCookie } from "@/tests/helpers/sign-in";
import { roomEvent } from "@/tests/helpers/waiting-room";

// The waiting room's server actions over HTTP (multipart body + Next-Action header, as a browser
// or an attacker posts them) against a real `next start`:
//  - the storefront's hold action sends a customer without a valid pass to the queue (the same
//    check as the REST hold endpoint), and holds with the pass cookie;
//  - the organizer's settings and stats actions: staff only, and only for their own event
//    (another organizer's event reads as not found).

/** The action's result code, or what came back instead (so a failure says what happened). */
const codeOf = (r: ActionReply) => r.state?.code ?? `no action state: ${r.status} ${r.text.slice(0, 300)}`;

let app: App;
let ids: Record<string, string>;

const callAction = (name: string, fields: Record<string, string | string[]>, cookie?: string, page = "/") =>
  postAction(app.url, ids[name], fields, { cookie, path: page });

beforeAll(async () => {
  app = await startApp({
    env: {
      RATE_LIMIT_LOGIN_IP: "500/60",
      RATE_LIMIT_LOGIN_ACCOUNT: "500/60",
      RATE_LIMIT_LOGIN_ACCOUNT_ADDRESS: "500/60",
      RATE_LIMIT_RESERVATION: "500/60",
      RATE_LIMIT_ACTION: "100000/60",
    },
  });
  ids = Object.fromEntries(Object.values(serverActions()).map((a) => [a.name, a.id]));
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

describe("waiting room actions over HTTP", () => {
  test("the storefront hold action sends a customer without a valid pass to the queue, and holds with one", async () => {
    expect(ids.holdSeatsAction).toBeTruthy();
    const { event, places } = await roomEvent({ opensInMs: -60_000, rate: 600 });
    const customer = await createUser();
    const cookie = await signInCookie(app.url, customer.email, TEST_PASSWORD);
    const page = `/events/${event.id}`;
    const hold = (extra = "") => callAction("holdSeatsAction", { eventId: event.id, "seatIds[]": [String(places[0].id)] }, cookie + extra, page);

    const without = await hold();
    expect(without.redirect).toContain(`/queue/${event.id}`);

    const joined = await fetch(`${app.url}/api/v1/events/${event.id}/queue`, { method: "POST" });
    const { pass } = (await joined.json()) as { pass: string };
    const forged = await hold(`; tq_p_${event.id}=${encodeURIComponent(pass.slice(0, -3) + "AAA")}`);
    expect(forged.redirect).toContain(`/queue/${event.id}`);

    const withPass = await hold(`; tq_p_${event.id}=${encodeURIComponent(pass)}`);
    expect(withPass.redirect).toBeNull();
    expect(withPass.state?.ok, JSON.stringify(withPass.state)).toBe(true);
  });

  test("settings and stats: the event's organizer (and admins) only", async () => {
    expect(Object.keys(ids)).toEqual(expect.arrayContaining(["updateWaitingRoomAction", "waitingRoomStatsAction"]));
    const [organizer, other, customer, admin] = await Promise.all([
      createUser("ORGANIZER"),
      createUser("ORGANIZER"),
      createUser("CUSTOMER"),
      createUser("ADMIN"),
    ]);
    const { event } = await createTestEvent({ organizer });
    const [own, foreign, cust, adm] = await Promise.all([organizer, other, customer, admin].map((u) => signInCookie(app.url, u.email, TEST_PASSWORD)));
    const settings = { eventId: event.id, enabled: "on", admitPerMinute: "120", sessionMinutes: "12" };

    expect(codeOf(await callAction("updateWaitingRoomAction", settings, cust))).toBe("forbidden");
    expect(codeOf(await callAction("updateWaitingRoomAction", settings, foreign))).toBe("not_found");
    expect(codeOf(await callAction("waitingRoomStatsAction", { eventId: event.id }, foreign))).toBe("not_found");
    const bad = await callAction("updateWaitingRoomAction", { ...settings, admitPerMinute: "0", sessionMinutes: "x" }, own);
    expect(bad.state?.code).toBe("validation_failed");
    expect(Object.keys(bad.state?.fieldErrors ?? {}).sort()).toEqual(["admitPerMinute", "sessionMinutes"]);

    const saved = await callAction("updateWaitingRoomAction", settings, own);
    expect(saved.state?.ok, JSON.stringify(saved.state)).toBe(true);
    expect(saved.state?.data).toMatchObject({ enabled: true, paused: false, admitPerMinute: 120, sessionMinutes: 12 });
    const paused = await callAction("updateWaitingRoomAction", { ...settings, paused: "on" }, adm);
    expect(paused.state?.data).toMatchObject({ enabled: true, paused: true });
    const stats = await callAction("waitingRoomStatsAction", { eventId: event.id }, own);
    expect(stats.state?.data).toMatchObject({ enabled: true, paused: true, live: { joined: 0, waiting: 0, estimatedSecondsToClear: null } });
    // The change reached the queue at once (written through to Redis).
    const q = await fetch(`${app.url}/api/v1/events/${event.id}/queue`, { method: "POST" });
    expect(await q.json()).toMatchObject({ state: "waiting", paused: true, admitPerMinute: 120 });
  });
});
