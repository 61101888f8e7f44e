import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { shareAppSecrets, startApp, type App } from "@/tests/helpers/app";
import { createTestEvent, createUsers, ga, seats } from "@/tests/helpers/fixtures";
import { buyOver } from "@/tests/helpers/http";
import { bookedTotal, expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { startPgBouncer, type Bouncer } from "@/tests/helpers/pgbouncer";
import { bearerTokens } from "@/tests/helpers/race";

// The app behind PgBouncer in transaction mode (a server connection is lent for one transaction
// at a time), with DATABASE_PREPARED_STATEMENTS=false: a flash sale of holds and checkouts by
// many more clients than PgBouncer has server connections, exactly one buyer per seat, every
// charge booked once, the invariants after. A control shows why the switch exists: with
// prepared statements on, statements prepared on one server connection are not found on the
// next, and queries fail or hang.

shareAppSecrets();

const SERVER_CONNECTIONS = 6;
let bouncer: Bouncer;
let app: App;

beforeAll(async () => {
  bouncer = await startPgBouncer(process.env.DATABASE_URL!, { poolMode: "transaction", poolSize: SERVER_CONNECTIONS });
  app = await startApp({
    env: {
      DATABASE_URL: bouncer.url,
      DATABASE_PREPARED_STATEMENTS: "false",
      DATABASE_POOL_MAX: "30", // more client connections than PgBouncer has server connections
      RATE_LIMIT_RESERVATION: "1000/60",
      RATE_LIMIT_CONFIRM: "1000/60",
    },
  });
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await bouncer?.stop();
});

const xacts = async () => Number((await bouncer.show("STATS")).find((r) => r.database === "tessera")?.total_xact_count ?? 0);

describe("behind PgBouncer in transaction mode", () => {
  it("sells each seat once and books every charge once, holds and checkouts alike", async () => {
    const SEATS = 20;
    const PER_SEAT = 6;
    const { event, places } = await createTestEvent({ sections: [seats(2, 10, 1500)] });
    const gaEvent = await createTestEvent({ sections: [ga(30, 500)] });
    const tokens = await bearerTokens(await createUsers(SEATS * PER_SEAT + 40));
    const before = await xacts();

    // 24 customers at a time (each hold then pay): more than PgBouncer's server connections.
    const jobs = [
      ...Array.from({ length: SEATS * PER_SEAT }, (_, i) => () => buyOver(app.url, tokens[i], event.id, { seatIds: [places[i % SEATS].id] })),
      ...Array.from(
        { length: 40 },
        (_, i) => () => buyOver(app.url, tokens[SEATS * PER_SEAT + i], gaEvent.event.id, { sectionId: gaEvent.sections[0].id, quantity: 1 }),
      ),
    ];
    const results: Awaited<ReturnType<typeof buyOver>>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 24 }, async () => {
        while (next < jobs.length) {
          const j = next++;
          results[j] = await jobs[j]();
        }
      }),
    );
    const a = results.slice(0, SEATS * PER_SEAT);
    const g = results.slice(SEATS * PER_SEAT);

    for (const r of [...a, ...g]) {
      expect([201, 409], `${r.hold.status} ${r.hold.text} ${r.hold.error ?? ""}`).toContain(r.hold.status);
      if (r.pay) expect(r.pay.status, r.pay.text).toBe(201);
    }
    expect(a.filter((r) => r.pay?.status === 201)).toHaveLength(SEATS);
    expect(g.filter((r) => r.pay?.status === 201)).toHaveLength(30);
    const [{ sold }] = await db().execute<{ sold: number }>(sql`SELECT count(*)::int AS sold FROM inventory WHERE event_id = ${event.id} AND status = 'SOLD'`);
    expect(sold).toBe(SEATS);
    expect(await ledger(event.id)).toMatchObject({ charges: SEATS, refunds: 0 });
    expect(await bookedTotal(event.id)).toBe(SEATS * 1500);
    expect(await ledger(gaEvent.event.id)).toMatchObject({ charges: 30, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectLedgerBalanced(gaEvent.event.id);
    await expectIntegrity(event.id);
    await expectIntegrity(gaEvent.event.id);

    // It all went through PgBouncer, in transaction mode, on its few server connections.
    expect((await xacts()) - before).toBeGreaterThan(SEATS * PER_SEAT);
    const pool = (await bouncer.show("POOLS")).find((r) => r.database === "tessera")!;
    expect(pool.pool_mode).toBe("transaction");
    const servers = (await bouncer.show("SERVERS")).filter((r) => r.database === "tessera");
    expect(servers.length).toBeLessThanOrEqual(SERVER_CONNECTIONS);
  });

  it("control: with prepared statements on, transaction pooling loses them (queries fail or hang)", async () => {
    const outcomes = async (prepare: boolean) => {
      const q = postgres(bouncer.url, { max: 8, prepare, onnotice: () => {}, connect_timeout: 3 });
      const within = <T>(p: Promise<T>) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer in 3 s")), 3000))]);
      let failed = 0;
      for (let round = 0; round < 6; round++) {
        const results = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => within(q`SELECT ${round * 100 + i}::int + 1 AS n`)));
        failed += results.filter((r) => r.status === "rejected").length;
      }
      await q.end({ timeout: 1 }).catch(() => {});
      return failed;
    };
    expect(await outcomes(false)).toBe(0);
    expect(await outcomes(true)).toBeGreaterThan(0);
  });
});
