import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { postAction, serverActions } from "@/tests/helpers/actions";
import { startApp, type App, shareAppSecrets } from "@/tests/helpers/app";
import { waitUntilDbTime } from "@/tests/helpers/db-state";
import { createTestEvent, createUsers, seats, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { call } from "@/tests/helpers/http";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { card } from "@/tests/helpers/payments";
import { bearerTokens } from "@/tests/helpers/race";
import type { Booking, InventorySnapshot, OrProblem, Reservation, Token } from "@/tests/helpers/responses";
import { signInCookie } from "@/tests/helpers/sign-in";
import { eventually } from "@/tests/helpers/wait";

// Every expiry and deadline is judged by the database clock (now()), so two instances whose own
// clocks disagree by two hours still agree on every hold. One `next start` runs with its wall
// clock shifted +2 h (tests/helpers/clock-skew.cjs through NODE_OPTIONS), one runs normally.
// An app-clock comparison anywhere on the path would show here: the skewed instance would think
// every fresh hold had long expired (selling held seats again, refusing to check them out,
// its cron releasing them), and would stamp holds two hours too long.

shareAppSecrets();

const SKEW_MS = 2 * 3600_000;
const HOLD_SECONDS = 8;
const preload = path.resolve(import.meta.dirname, "../helpers/clock-skew.cjs");

let normal: App;
let skewed: App;

beforeAll(async () => {
  const env = { RATE_LIMIT_RESERVATION: "1000/60", RATE_LIMIT_CONFIRM: "1000/60" };
  [normal, skewed] = await Promise.all([
    startApp({ env }),
    startApp({ env: { ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${preload}`.trim(), TESSERA_CLOCK_SKEW_MS: String(SKEW_MS) } }),
  ]);
});
afterAll(async () => {
  await Promise.all([normal?.stop(), skewed?.stop()]);
});

async function dbNowMs(): Promise<number> {
  const [r] = await db().execute<{ ms: string }>(sql`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint::text AS ms`);
  return Number(r.ms);
}

/** The state of one seat (0 free, 1 held, 2 sold) in an instance's public inventory snapshot. */
async function seatState(app: App, eventId: string, seq: number): Promise<number> {
  const res = await call<InventorySnapshot>(`${app.url}/api/v1/events/${eventId}/inventory`);
  const bytes = Buffer.from(res.body.seats.data, "base64");
  return (bytes[seq >> 2] >> ((seq & 3) * 2)) & 3;
}

describe("two instances, clocks two hours apart", () => {
  it("the skew is real: the skewed instance's own clock is two hours ahead", async () => {
    const [u] = await createUsers(1);
    const login = (app: App) =>
      call<Token>(`${app.url}/api/v1/auth/login`, { json: { email: u.email, password: "test-pass-123" }, headers: { "x-forwarded-for": "198.18.7.7" } });
    // Token expiry is stamped from the app clock (a JWT claim, not a business deadline).
    const a = Date.parse((await login(normal)).body.expiresAt);
    const b = Date.parse((await login(skewed)).body.expiresAt);
    expect(Math.abs(b - a - SKEW_MS)).toBeLessThan(60_000);
  });

  it("holds made through either instance expire at the database's time, and both agree before and after", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 8, 1200)], holdSeconds: HOLD_SECONDS });
    const users = await createUsers(6);
    const [viaSkewed, viaNormal, rival, payer, latePayer, tidy] = await bearerTokens(users);
    const hold = (app: App, token: string, seat: number) =>
      call<OrProblem<Reservation>>(`${app.url}/api/v1/events/${event.id}/reservations`, { token, json: { seatIds: [places[seat].id] } });
    const pay = (app: App, token: string, reservationId: string) =>
      call<OrProblem<Booking>>(`${app.url}/api/v1/bookings/confirm`, {
        token,
        json: { reservationId, payment: { method: "mock", card: card() } },
        headers: { "idempotency-key": crypto.randomUUID() },
      });

    const before = await dbNowMs();
    const a = await hold(skewed, viaSkewed, 0);
    const b = await hold(normal, viaNormal, 1);
    const c = await hold(normal, payer, 2);
    const d = await hold(normal, latePayer, 3);
    for (const r of [a, b, c, d]) expect(r.status, r.text).toBe(201);
    const after = await dbNowMs();
    // Stamped by the database: now() + hold_seconds, not the skewed instance's clock.
    for (const r of [a, b]) {
      const expires = Date.parse(r.body.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(before + HOLD_SECONDS * 1000 - 50);
      expect(expires).toBeLessThanOrEqual(after + HOLD_SECONDS * 1000 + 50);
    }

    // While live: both instances see both holds as active and the seats as held.
    for (const app of [normal, skewed]) {
      for (const [token, r] of [
        [viaSkewed, a],
        [viaNormal, b],
      ] as const) {
        const seen = await call<Reservation>(`${app.url}/api/v1/events/${event.id}/reservations/${r.body.id}`, { token });
        expect(seen.body.status, `${app === skewed ? "skewed" : "normal"} sees ${r.body.id}`).toBe("ACTIVE");
      }
      expect(await seatState(app, event.id, 0)).toBe(1);
      expect(await seatState(app, event.id, 1)).toBe(1);
      // Nobody else gets a held seat, through either instance.
      expect((await hold(app, rival, 0)).body.code).toBe("seat_taken");
      expect((await hold(app, rival, 1)).body.code).toBe("seat_taken");
    }
    // The skewed instance's cron tick releases nothing that is still live.
    const tick = await call(`${skewed.url}/api/cron/tick`, { headers: { authorization: `Bearer ${process.env.CRON_SECRET}` } });
    expect(tick.status, tick.text).toBe(200);
    expect(await seatState(normal, event.id, 0)).toBe(1);
    // A live hold checks out through the skewed instance.
    const paid = await pay(skewed, payer, c.body.id);
    expect(paid.status, paid.text).toBe(201);

    // After the database's expiry time: both instances see the holds expired and the seats free.
    await waitUntilDbTime(b.body.expiresAt, 100);
    for (const app of [normal, skewed]) {
      for (const [token, r] of [
        [viaSkewed, a],
        [viaNormal, b],
      ] as const) {
        const seen = await call<Reservation>(`${app.url}/api/v1/events/${event.id}/reservations/${r.body.id}`, { token });
        expect(seen.body.status).toBe("EXPIRED");
      }
      await eventually(
        "snapshot shows the seats free",
        async () => (await seatState(app, event.id, 0)) === 0 && (await seatState(app, event.id, 1)) === 0,
        5000,
      );
      expect(await seatState(app, event.id, 2)).toBe(2);
    }
    // An expired hold is not charged, whichever instance is asked.
    const late = await pay(skewed, latePayer, d.body.id);
    expect(late.status, late.text).toBe(409);
    expect(late.body.code).toBe("hold_expired");
    // The seats sell again, through either instance.
    expect((await hold(skewed, rival, 0)).status).toBe(201);
    expect((await hold(normal, tidy, 1)).status).toBe(201);

    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("the website's countdowns are measured from the database's now, not the instance's", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 900)], holdMinutes: 10 });
    const [u] = await createUsers(1);
    const cookie = await signInCookie(skewed.url, u.email, TEST_PASSWORD);
    const held = await postAction(skewed.url, serverActions().holdSeatsAction.id, { eventId: event.id, "seatIds[]": [String(places[0].id)] }, { cookie });
    expect(held.state?.ok, held.text.slice(0, 300)).toBe(true);
    const { reservation, serverNow } = held.state!.data as { reservation: { id: string; expiresAt: string }; serverNow: string };
    expect(Math.abs(Date.parse(serverNow) - (await dbNowMs()))).toBeLessThan(10_000);
    // What the pages show on first paint: about ten minutes left, not "0:00" (which would also
    // make the page refresh itself every second, waiting for an expiry that already "passed").
    const remaining = (html: string) => {
      const m = /data-testid="countdown"[^>]*>(?:<!-- -->)?([0-9:]+)</.exec(html);
      expect(m, "a countdown on the page").toBeTruthy();
      const parts = m![1].split(":").map(Number);
      return parts.reduce((acc, x) => acc * 60 + x, 0);
    };
    for (const path of [`/checkout/${reservation.id}`, "/account/holds"]) {
      const html = await (await fetch(skewed.url + path, { headers: { cookie } })).text();
      expect(remaining(html), path).toBeGreaterThan(8 * 60);
    }
    await expectIntegrity(event.id);
  });
});
