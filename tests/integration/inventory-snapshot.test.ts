import crypto from "node:crypto";
import zlib from "node:zlib";
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { GET as inventoryGET } from "@/app/api/v1/events/[eventId]/inventory/route";
import { GET as seatsGET } from "@/app/api/v1/events/[eventId]/seats/route";
import { db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { holdSeats } from "@/lib/holds";
import { getInventorySnapshot, getSeatLayout } from "@/lib/inventory";
import { decodeStates } from "@/lib/seatmap/bitmap";
import { createTestEvent, createUser, ga, seats } from "@/tests/helpers/fixtures";
import { sleep } from "@/tests/helpers/wait";

// The polled inventory read: counts per section, the 2-bit seat bitmap (expired holds read as
// available), a one-second per-process cache with a content ETag, and the immutable layout.

const ctx = (eventId: string) => ({ params: Promise.resolve({ eventId }) });

describe("inventory snapshot", () => {
  it("counts available / held / sold per section and encodes each seat's state by seq", async () => {
    const { event, places, sections } = await createTestEvent({ sections: [seats(2, 5, 1000), ga(4, 500, "Floor")] });
    const r = await holdSeats(toActor(await createUser()), event.id, { seatIds: [places[0].id, places[1].id] });
    expect(r.ok).toBe(true);
    // An expired hold (still marked HELD: no cron ran) and a sold place, written directly.
    await db().execute(
      sql`UPDATE inventory SET status = 'HELD', reservation_id = ${crypto.randomUUID()}, hold_expires_at = now() - interval '1 second' WHERE id = ${places[2].id}`,
    );
    await db().execute(sql`UPDATE inventory SET status = 'SOLD', reservation_id = ${crypto.randomUUID()} WHERE id IN (${places[9].id}, ${places[10].id})`);

    const snap = (await getInventorySnapshot(event.id))!;
    expect(snap.status).toBe("ON_SALE");
    expect(snap.sections).toEqual([
      expect.objectContaining({ id: sections[0].id, kind: "ASSIGNED", capacity: 10, priceMinor: 1000, available: 7, held: 2, sold: 1 }),
      expect.objectContaining({ id: sections[1].id, kind: "GA", name: "Floor", capacity: 4, available: 3, held: 0, sold: 1 }),
    ]);
    expect(snap.seats).toMatchObject({ encoding: "2bit-base64", count: 14 });
    const expected = places.map((p) => (p.id === places[0].id || p.id === places[1].id ? 1 : p.id === places[9].id || p.id === places[10].id ? 2 : 0));
    expect(Array.from(decodeStates(snap.seats.data, 14))).toEqual(expected);
    expect(Date.parse(snap.generatedAt)).not.toBeNaN();
  });

  it("caches for about a second per process, and keeps the ETag while nothing changes", async () => {
    // Two clocks age a copy: this process's (its own cache; faked here so a slow machine cannot
    // flake the first half) and Redis's (the copy shared by every instance, lib/inventory/shared.ts;
    // real, so the test waits for it).
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const { event, places } = await createTestEvent({ sections: [seats(1, 4)] });
      const first = (await getInventorySnapshot(event.id))!;
      const shared = performance.now(); // the shared copy was stamped before this
      expect(await getInventorySnapshot(event.id)).toBe(first);
      await holdSeats(toActor(await createUser()), event.id, { seatIds: [places[0].id] });
      vi.setSystemTime(Date.now() + 900);
      expect(await getInventorySnapshot(event.id)).toBe(first); // still this process's copy
      expect(first.sections[0].held).toBe(0);
      vi.setSystemTime(Date.now() + 200);
      await sleep(1100 - (performance.now() - shared)); // and the shared copy is a second old by Redis's clock
      const fresh = (await getInventorySnapshot(event.id))!;
      expect(fresh.sections[0].held).toBe(1);
      expect(fresh.etag).not.toBe(first.etag);
      vi.setSystemTime(Date.now() + 1100);
      await sleep(1100);
      const same = (await getInventorySnapshot(event.id))!;
      expect(same).not.toBe(fresh);
      expect(same.etag).toBe(fresh.etag);
    } finally {
      vi.useRealTimers();
    }
  });

  it("derives SOLD_OUT from the counts themselves", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 1)] });
    await holdSeats(toActor(await createUser()), event.id, { seatIds: [places[0].id] });
    expect((await getInventorySnapshot(event.id))!.status).toBe("SOLD_OUT");
  });

  it("serves the snapshot with ETag, If-None-Match → 304, Cache-Control max-age=1; 404 and 400 otherwise", async () => {
    const { event } = await createTestEvent();
    const res = await inventoryGET(new Request(`http://localhost/api/v1/events/${event.id}/inventory`), ctx(event.id));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=1");
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect((await res.json()).eventId).toBe(event.id);
    const cached = await inventoryGET(new Request(`http://localhost/x`, { headers: { "if-none-match": etag } }), ctx(event.id));
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe("");

    const draft = await createTestEvent();
    await db().execute(sql`UPDATE events SET published_at = NULL WHERE id = ${draft.event.id}`);
    expect((await inventoryGET(new Request("http://localhost/x"), ctx(draft.event.id))).status).toBe(404);
    expect((await inventoryGET(new Request("http://localhost/x"), ctx(crypto.randomUUID()))).status).toBe(404);
    expect((await inventoryGET(new Request("http://localhost/x"), ctx("nope"))).status).toBe(400);
  });
});

describe("seat layout", () => {
  it("gives positions and labels by seq, section ranges, and is served with a stable ETag", async () => {
    const { event, places, sections } = await createTestEvent({ sections: [seats(2, 3), ga(2)] });
    const layout = (await getSeatLayout(event.id))!;
    expect(layout.sections.map((s) => ({ id: s.id, firstSeq: s.firstSeq, count: s.count }))).toEqual([
      { id: sections[0].id, firstSeq: 0, count: 6 },
      { id: sections[1].id, firstSeq: 6, count: 2 },
    ]);
    expect(layout.ids).toEqual(places.map((p) => p.id));
    expect(layout.rows).toEqual(places.map((p) => p.rowLabel));
    expect(layout.numbers).toEqual(places.map((p) => p.seatNumber));
    expect(layout.x).toEqual(places.map((p) => p.x));
    expect(await getSeatLayout(event.id)).toBe(layout);

    const res = await seatsGET(new Request("http://localhost/x"), ctx(event.id));
    expect(res.status).toBe(200);
    const etag = res.headers.get("etag")!;
    expect((await seatsGET(new Request("http://localhost/x", { headers: { "if-none-match": etag } }), ctx(event.id))).status).toBe(304);
    expect((await seatsGET(new Request("http://localhost/x"), ctx(crypto.randomUUID()))).status).toBe(404);
  });
});

describe("a 20,000-seat event", () => {
  it("keeps the polled payload small", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(100, 200)] });
    expect(places.length).toBe(20_000);
    const t = performance.now();
    const res = await inventoryGET(new Request("http://localhost/x"), ctx(event.id));
    const coldMs = performance.now() - t;
    const body = Buffer.from(await res.arrayBuffer());
    const layout = Buffer.from(await (await seatsGET(new Request("http://localhost/x"), ctx(event.id))).arrayBuffer());
    const sizes = {
      inventoryBytes: body.length,
      inventoryGzipBytes: zlib.gzipSync(body).length,
      layoutBytes: layout.length,
      layoutGzipBytes: zlib.gzipSync(layout).length,
      coldReadMs: Math.round(coldMs),
    };
    console.log(`INVENTORY ${JSON.stringify(sizes)}`);
    expect(JSON.parse(body.toString()).seats.data.length).toBe(6668); // 5,000 bytes in base64
    expect(sizes.inventoryBytes).toBeLessThan(8 * 1024);
  });
});
