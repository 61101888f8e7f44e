import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import type { CaughtMail } from "@/lib/dev/caught-mail";
import type { MailCatcher } from "@/lib/dev/mail-catcher";
import { runIntegrityChecks } from "@/lib/integrity/checks";
import { enqueueMail } from "@/lib/mail/outbox";
import { shareAppSecrets, startApp, type App } from "@/tests/helpers/app";
import { createTestEvent, createUsers, seats, uniqueEmail } from "@/tests/helpers/fixtures";
import { buyOver, call } from "@/tests/helpers/http";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { caughtFor, outboxFor, pickPort, startTestCatcher } from "@/tests/helpers/mail";
import { bearerTokens } from "@/tests/helpers/race";
import { eventually, sleep } from "@/tests/helpers/wait";

// The outbox across real app processes (each runs its own delivery loop) and the cron tick:
// an SMTP server that goes away and comes back, and a process SIGKILLed while the SMTP server
// holds a message it has received but not yet acknowledged — the one case where a message goes
// twice, with the same Message-ID (docs/operations.md, Email).

shareAppSecrets(); // the apps' secrets, so API tokens minted here work there

const LEASE_S = 4;
const appEnv = (smtpPort: number) => ({
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  MAIL_FROM: "Tessera Faults <tickets@tessera.test>",
  MAIL_POLL_MS: "200",
  MAIL_RETRY_BASE_MS: "300",
  MAIL_LEASE_SECONDS: String(LEASE_S),
  TESSERA_TEST_MAIL_SCOPE: "outbox-faults-%", // only this file's mail (the test database is shared)
  RATE_LIMIT_RESERVATION: "1000/60",
  RATE_LIMIT_CONFIRM: "1000/60",
});

const apps: App[] = [];
let catcher: MailCatcher | undefined;
afterAll(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  await catcher?.stop();
});

async function queue(n: number): Promise<string[]> {
  const to = Array.from({ length: n }, () => uniqueEmail("outbox-faults-mail"));
  await db().transaction(async (tx) => {
    for (const r of to) await enqueueMail(tx, { kind: "password_changed", recipient: r, payload: { name: "Grace" } });
  });
  return to;
}

const byOutboxId = (mail: CaughtMail[]) => {
  const counts = new Map<string, CaughtMail[]>();
  for (const m of mail) counts.set(m.outboxId!, [...(counts.get(m.outboxId!) ?? []), m]);
  return counts;
};

const tick = (app: App) => call(`${app.url}/api/cron/tick`, { headers: { authorization: `Bearer ${process.env.CRON_SECRET}` } });

describe("email outbox under faults", () => {
  it("SIGKILL while the SMTP server holds a received message: nothing is lost; only the messages in flight go twice, with the same Message-ID", async () => {
    const port = await pickPort();
    const box: { victim?: App } = {};
    let killed = false;
    catcher = await startTestCatcher(port, {
      // The server has the message; before it answers 250 the sending process dies.
      beforeAccept: async () => {
        if (!killed) {
          killed = true;
          while (!box.victim) await sleep(10); // its loop may send before startApp has returned
          box.victim.child.kill("SIGKILL");
        }
        await sleep(300);
      },
    });
    const recipients = await queue(12);
    const victim = (box.victim = await startApp({ env: appEnv(port) }));
    await eventually("the victim is killed mid-send", async () => victim.child.signalCode === "SIGKILL", 60_000).catch((err) => {
      throw new Error(`${err.message}\n${victim.output()}`);
    });
    const inFlight = (await outboxFor(recipients)).filter((m) => m.status === "PENDING" && m.attempts === 1);

    const survivor = await startApp({ env: appEnv(port) });
    apps.push(survivor);
    await eventually("every message is sent", async () => (await outboxFor(recipients)).every((m) => m.status === "SENT"), 60_000);
    const counts = byOutboxId(caughtFor(catcher.dir, recipients));
    expect(counts.size, "every message arrived").toBe(12);
    const twice = [...counts.values()].filter((list) => list.length > 1);
    for (const list of twice) {
      expect(list).toHaveLength(2);
      expect(list[0].messageId).toBe(list[1].messageId); // the receiver can drop the copy
    }
    // Only messages the victim had claimed (leases that had to run out) may go twice: at most
    // the three its SMTP pool sends at once.
    expect(twice.length).toBeLessThanOrEqual(3);
    for (const list of twice) expect(inFlight.map((m) => String(m.id))).toContain(list[0].outboxId);
    // The outbox's own check (the whole-database checks would also see other files' sales in flight).
    const outboxChecks = (await runIntegrityChecks(db())).filter((c) => c.name.startsWith("outbox_"));
    expect(outboxChecks.length).toBeGreaterThan(0);
    expect(outboxChecks.filter((c) => c.violations > 0)).toEqual([]);
  });

  it("SMTP down, then back, with two app processes and the cron tick all delivering: every message exactly once", async () => {
    const port = catcher!.port;
    await catcher!.stop();
    if (apps.length < 2) apps.push(await startApp({ env: appEnv(port) }));
    const [a, b] = apps;

    // Bookings over REST while the SMTP server is down, and account messages queued directly.
    const { event, places } = await createTestEvent({ sections: [seats(2, 10, 1200)] });
    const buyers = await createUsers(6, "CUSTOMER", "outbox-faults-buyer");
    const tokens = await bearerTokens(buyers);
    const bought = await Promise.all(buyers.map((u, i) => buyOver(i % 2 ? a.url : b.url, tokens[i], event.id, { seatIds: [places[i * 2].id] })));
    for (const x of bought) expect(x.pay?.status, x.pay?.text).toBe(201);
    const recipients = [...(await queue(40)), ...buyers.map((u) => u.email)];
    await eventually("every message has failed at least once", async () => (await outboxFor(recipients)).every((m) => m.attempts >= 1 && m.last_error), 30_000);
    expect((await outboxFor(recipients)).some((m) => m.status === "SENT")).toBe(false);

    catcher = await startTestCatcher(port, { dir: catcher!.dir });
    const ticks = Promise.all([tick(a), tick(b), tick(a)]);
    await eventually("every message is sent", async () => (await outboxFor(recipients)).every((m) => m.status === "SENT"), 60_000);
    await ticks;
    const caught = caughtFor(catcher.dir, recipients);
    const counts = byOutboxId(caught);
    expect(counts.size).toBe(46);
    expect(
      [...counts.values()].every((list) => list.length === 1),
      "no message twice",
    ).toBe(true);
    const confirmations = caught.filter((m) => /Your tickets for/.test(m.subject));
    expect(confirmations).toHaveLength(6);
    const [{ n }] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM email_outbox WHERE status = 'SENT' AND secret IS NOT NULL`);
    expect(n).toBe(0);
    await expectIntegrity(event.id);
  });
});
