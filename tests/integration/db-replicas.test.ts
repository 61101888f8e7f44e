import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { events } from "@/db/schema";
import { shareAppSecrets, startApp, type App } from "@/tests/helpers/app";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { call } from "@/tests/helpers/http";
import { startReplicatedPostgres, type Replicated } from "@/tests/helpers/pg-replica";
import { appName } from "@/tests/helpers/process-figures";
import { bearerTokens } from "@/tests/helpers/race";
import { eventually } from "@/tests/helpers/wait";

// Read replicas (db/replicas.ts) on a real streaming replica of a private primary. Replay on the
// replica is paused to make its lag visible: a change written on the primary after the pause is
// not on the replica, so an answer carrying the old value came from the replica.
//   - An app that tolerates a long lag serves the public event page and list from the replica
//     (old title), while holds, staff views and a just-published event read the primary.
//   - An app that tolerates 400 ms skips the same replica once it is further behind than that.
//   - With the replica stopped, browsing goes on from the primary, without errors.

shareAppSecrets();

let pg: Replicated;
let tolerant: App; // DATABASE_REPLICA_MAX_LAG_MS = 10 minutes
let strict: App; // 400 ms
const tolerantName = appName("replica-tolerant");

beforeAll(async () => {
  pg = await startReplicatedPostgres();
  // This process's own db() (fixtures, assertions) is the private primary (read once, on first use).
  process.env.DATABASE_URL = pg.primary.url;
  const env = { DATABASE_URL: pg.primary.url, DATABASE_REPLICA_URLS: pg.replicaUrl, RATE_LIMIT_API: "100000/60", RATE_LIMIT_SEAT_MAP: "100000/60" };
  [tolerant, strict] = await Promise.all([
    startApp({ env: { ...env, DATABASE_REPLICA_MAX_LAG_MS: "600000", PGAPPNAME: tolerantName } }),
    startApp({ env: { ...env, DATABASE_REPLICA_MAX_LAG_MS: "400" } }),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.all([tolerant?.stop(), strict?.stop()]);
  await pg?.stop();
});

const title = async (app: App, eventId: string, token?: string) => {
  const r = await call<{ title?: string }>(`${app.url}/api/v1/events/${eventId}`, { token });
  expect(r.status, r.text).toBe(200);
  return r.body.title;
};

/** Reads until the app has measured its replica as current (a process measures while it reads). */
async function replicaInUse(app: App) {
  await eventually(
    "the replica measured as current",
    async () => {
      await call(`${app.url}/api/v1/events?status=on_sale`);
      const h = await call<{ replicas?: { status: string }[] }>(`${app.url}/api/v1/health`);
      return h.body.replicas?.[0]?.status === "up";
    },
    30_000,
    100,
  );
}

describe("read replicas", () => {
  it("serve public browsing within the lag bound; holds, staff and just-published events read the primary", async () => {
    const organizer = await createUser("ORGANIZER");
    const { event } = await createTestEvent({ organizer, sections: [seats(1, 5)], title: "Before the change" });
    const [customerToken, organizerToken] = await bearerTokens([await createUser(), organizer]);
    await pg.caughtUp();
    await replicaInUse(tolerant);
    await replicaInUse(strict);

    await pg.pauseReplay();
    try {
      await db().update(events).set({ title: "After the change" }).where(eq(events.id, event.id));
      const fresh = await createTestEvent({ organizer, sections: [seats(1, 2)], title: "Published while the replica lags" });
      const [{ onReplica }] = await pg.replicaSql()<{ onReplica: number }[]>`SELECT count(*)::int AS "onReplica" FROM events WHERE id = ${fresh.event.id}`;
      expect(onReplica).toBe(0);

      // The tolerant app: the public page and list come from the replica (the old title)…
      expect(await title(tolerant, event.id)).toBe("Before the change");
      const list = await call<{ items: { id: string; title: string }[] }>(`${tolerant.url}/api/v1/events?q=${encodeURIComponent("the change")}`);
      expect(list.body.items.find((i) => i.id === event.id)?.title).toBe("Before the change");
      const [{ n }] = await pg.replicaSql()<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${tolerantName}`;
      expect(n).toBeGreaterThan(0); // the app holds connections to the replica
      // …its organizer sees the change at once (staff read the primary)…
      expect(await title(tolerant, event.id, organizerToken)).toBe("After the change");
      // …an event the replica has not seen yet is found on the primary…
      expect(await title(tolerant, fresh.event.id)).toBe("Published while the replica lags");
      // …and a hold, decided on the primary, works on it.
      const held = await call(`${tolerant.url}/api/v1/events/${fresh.event.id}/reservations`, {
        token: customerToken,
        json: { seatIds: [fresh.places[0].id] },
      });
      expect(held.status, held.text).toBe(201);

      // The strict app measures the replica as too far behind and reads the primary.
      await eventually(
        "the strict app skips the lagging replica",
        async () => {
          const h = await call<{ replicas?: { status: string; lagMs: number | null }[] }>(`${strict.url}/api/v1/health`);
          return h.body.replicas?.[0]?.status === "lagging";
        },
        30_000,
        100,
      );
      expect(await title(strict, event.id)).toBe("After the change");
    } finally {
      await pg.resumeReplay();
    }
    await pg.caughtUp();
    await replicaInUse(strict);
    expect(await title(strict, event.id)).toBe("After the change");
  });

  it("skip a stopped replica: browsing goes on from the primary without errors, and returns to it", async () => {
    const { event } = await createTestEvent({ sections: [seats(1, 3)], title: "Replica stopped" });
    await pg.caughtUp();
    await replicaInUse(tolerant);
    await pg.stopReplica();
    const answers: number[] = [];
    for (let i = 0; i < 20; i++) {
      answers.push((await call(`${tolerant.url}/api/v1/events/${event.id}`)).status);
      answers.push((await call(`${tolerant.url}/api/v1/events?status=on_sale`)).status);
      answers.push((await call(`${tolerant.url}/api/v1/events/${event.id}/inventory`)).status);
    }
    expect(new Set(answers)).toEqual(new Set([200]));
    const h = await call<{ status: string; replicas?: { status: string }[] }>(`${tolerant.url}/api/v1/health`);
    expect(h.body).toMatchObject({ status: "ok", replicas: [{ status: "down" }] });

    await pg.startReplica();
    await pg.caughtUp();
    await replicaInUse(tolerant);
    expect(await title(tolerant, event.id)).toBe("Replica stopped");
  });
});
