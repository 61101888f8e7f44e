import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort } from "@/lib/dev/services";
import { holdSeats } from "@/lib/holds";
import { toActor } from "@/lib/auth/users";
import { startApp, type App } from "@/tests/helpers/app";
import { call } from "@/tests/helpers/http";
import { sleep } from "@/tests/helpers/wait";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";

// The live inventory snapshot is built once per interval for every app instance and shared
// through Redis (lib/inventory/shared.ts). Separate processes are played here by fresh copies of
// the snapshot module (each with its own in-memory cache, all on this process's Redis); a real
// multi-instance run is in tests/faults/load-balancer.test.ts. Without Redis, each process
// builds its own from PostgreSQL.

type SnapshotModule = typeof import("@/lib/inventory/snapshot");

/** A new "process": its own module-level cache, the shared Redis. */
async function instance(): Promise<SnapshotModule> {
  vi.resetModules();
  return import("@/lib/inventory/snapshot");
}

async function instances(n: number): Promise<SnapshotModule[]> {
  const out: SnapshotModule[] = [];
  for (let i = 0; i < n; i++) out.push(await instance()); // one at a time: each reset gives a new copy
  return out;
}

let noRedis: App;

beforeAll(async () => {
  noRedis = await startApp({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
});

afterAll(async () => {
  await noRedis?.stop();
});

describe("one inventory snapshot for every instance", () => {
  it("is built by one instance and served to the others until it is a second old", async () => {
    // Two clocks age a copy: each process's own cache reads the app clock (held still here, so a
    // slow machine cannot age it) and the shared copy ages by Redis's clock (real: waited for).
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      await sharedForEveryone();
    } finally {
      vi.useRealTimers();
    }
  });

  async function sharedForEveryone() {
    const { event, places } = await createTestEvent({ sections: [seats(1, 6)] });
    // The "processes" are loaded first: loading one takes a while on a busy machine.
    const [a, ...others] = await instances(6);
    const many = await instances(20);
    const first = (await a.getInventoryEncoded(event.id))!;
    const shared = performance.now(); // the shared copy was stamped before this
    // The others get the very snapshot the first built (same database timestamp), not their own.
    const seen = await Promise.all(others.map((b) => b.getInventoryEncoded(event.id)));
    for (const copy of seen) expect(copy!.snapshot.generatedAt).toBe(first.snapshot.generatedAt);

    await holdSeats(toActor(await createUser()), event.id, { seatIds: [places[0].id] });
    vi.setSystemTime(Date.now() + a.SNAPSHOT_TTL_MS + 50);
    await sleep(a.SNAPSHOT_TTL_MS + 50 - (performance.now() - shared));
    // A second later, twenty instances ask at once: one rebuilds; the others serve the previous
    // copy while it does (never a build of their own), then the new one.
    const during = await Promise.all(many.map((m) => m.getInventoryEncoded(event.id)));
    const rebuilt = new Set(during.map((n) => n!.snapshot.generatedAt).filter((g) => g !== first.snapshot.generatedAt));
    expect(rebuilt.size).toBe(1);
    const after = await Promise.all(many.map((m) => m.getInventoryEncoded(event.id)));
    expect(new Set(after.map((n) => n!.snapshot.generatedAt))).toEqual(rebuilt);
    expect(after[0]!.snapshot.sections[0]).toMatchObject({ held: 1, available: 5 });
    expect(after[0]!.etag).not.toBe(first.etag);
  }

  it("keeps a missing or unpublished event missing for everyone", async () => {
    const a = await instance();
    const b = await instance();
    const unknown = crypto.randomUUID();
    expect(await a.getInventoryEncoded(unknown)).toBeNull();
    expect(await b.getInventoryEncoded(unknown)).toBeNull();
  });

  it("is built from PostgreSQL alone when Redis cannot be reached", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4)] });
    await holdSeats(toActor(await createUser()), event.id, { seatIds: [places[1].id] });
    const res = await call<{ sections: { held: number; available: number }[] }>(`${noRedis.url}/api/v1/events/${event.id}/inventory`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.sections[0]).toMatchObject({ held: 1, available: 3 });
  });
});
