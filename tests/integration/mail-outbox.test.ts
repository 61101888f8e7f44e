import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The outbox worker in this process, delivering to a real SMTP catcher. SMTP_URL must be set
// before anything reads the environment, hence the hoisted port.
const SMTP_PORT = await vi.hoisted(async () => {
  const net = await import("node:net");
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.MAIL_FROM = "Tessera Tests <tickets@tessera.test>";
  process.env.MAIL_RETRY_BASE_MS = "300";
  process.env.PUBLIC_BASE_URL = "http://tessera.test";
  // Other files share the test database: this worker delivers only the mail of this file's recipients.
  process.env.TESSERA_TEST_MAIL_SCOPE = "outbox-int-%";
  return port;
});

import { eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { bookings } from "@/db/schema";
import { toActor } from "@/lib/auth/users";
import { formatReference } from "@/lib/bookings/reference";
import { confirmCheckout } from "@/lib/checkout";
import type { MailCatcher } from "@/lib/dev/mail-catcher";
import { hashLinkToken } from "@/lib/link-tokens";
import { enqueueMail } from "@/lib/mail/outbox";
import { deliverDue } from "@/lib/mail/worker";
import { formatShortCode } from "@/lib/tickets/short-code";
import { newKey, pay } from "@/tests/helpers/payments";
import { createTestEvent, createUsers, seats, uniqueEmail } from "@/tests/helpers/fixtures";
import { caughtFor, linkIn, outboxFor, startTestCatcher } from "@/tests/helpers/mail";
import { sleep } from "@/tests/helpers/wait";
import { hold } from "@/tests/helpers/purchase";
import { expectIntegrity } from "@/tests/helpers/integrity";

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startTestCatcher(SMTP_PORT);
});
afterAll(async () => {
  await catcher?.stop();
});

async function queue(n: number, kind: "password_changed" = "password_changed") {
  const recipients = Array.from({ length: n }, () => uniqueEmail("outbox-int-mail"));
  await db().transaction(async (tx) => {
    for (const r of recipients) await enqueueMail(tx, { kind, recipient: r, payload: { name: "Ada" } });
  });
  return recipients;
}

describe("email outbox", () => {
  it("a booking queues its confirmation in the same statement; the worker sends it with QR codes, a PDF and a private link", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 2500)] });
    const [buyer] = (await createUsers(1, "CUSTOMER", "outbox-int-buyer")).map(toActor);
    const r = await hold(buyer, event.id, { seatIds: [places[0].id, places[1].id] });
    const booked = await confirmCheckout(buyer, { reservationId: r.id, payment: pay() }, newKey());
    if (!booked.ok) throw new Error(booked.message);
    const [queued] = await outboxFor([buyer.email]);
    expect(queued).toMatchObject({ kind: "booking_confirmed", status: "PENDING" });
    expect(queued.secret).toMatch(/^v1\./); // the private link's secret, encrypted

    await deliverDue();
    const [mail] = caughtFor(catcher.dir, [buyer.email]);
    // The reference as people read it everywhere (J5C1-Y1BM), and each ticket's door code.
    expect(mail.subject).toContain(formatReference(booked.booking.reference));
    expect(mail.html).toContain(booked.booking.eventTitle);
    for (const t of booked.booking.tickets) {
      expect(mail.html).toContain(formatShortCode(t.shortCode));
      expect(mail.text).toContain(`ticket code ${formatShortCode(t.shortCode)}`);
    }
    expect(mail.html).not.toContain("cid:"); // every inline image arrived (the catcher inlines them)
    expect(mail.attachments.filter((a) => a.contentType === "image/png")).toHaveLength(2);
    expect(mail.attachments.find((a) => a.contentType === "application/pdf")?.filename).toBe(`tickets-${formatReference(booked.booking.reference)}.pdf`);
    const link = new URL(linkIn(mail, "/bookings/"));
    const [b] = await db().select().from(bookings).where(eq(bookings.id, booked.booking.id));
    expect(b.accessKeyHash).toBe(hashLinkToken(link.searchParams.get("key")!));

    const [sent] = await outboxFor([buyer.email]);
    expect(sent).toMatchObject({ status: "SENT", secret: null, attempts: 1 });
    expect(mail.messageId).toBe(sent.message_id);
    await expectIntegrity(event.id);
  });

  it("several workers at once send every message exactly once", async () => {
    const recipients = await queue(60);
    await Promise.all([deliverDue({ batch: 7 }), deliverDue({ batch: 5 }), deliverDue({ batch: 11 }), deliverDue({ batch: 3 })]);
    const caught = caughtFor(catcher.dir, recipients);
    expect(caught).toHaveLength(60);
    expect(new Set(caught.map((m) => m.envelope.to[0])).size).toBe(60);
    expect((await outboxFor(recipients)).every((m) => m.status === "SENT" && m.attempts === 1)).toBe(true);
  });

  it("SMTP down: nothing is lost, retries back off, and once it is back every message goes exactly once", async () => {
    await catcher.stop();
    const recipients = await queue(10);
    const [{ t0 }] = await db().execute<{ t0: string }>(sql`SELECT now()::text AS t0`);
    const first = await deliverDue({ batch: 1000 }); // one claim: nothing of ours is claimed twice in this call
    expect(first.sent).toBe(0);
    const waiting = await outboxFor(recipients);
    expect(waiting.every((m) => m.status === "PENDING" && m.attempts === 1 && m.last_error)).toBe(true);
    // Each failure schedules its retry at least the base delay (300 ms, minus 20 % jitter) later.
    const [{ early }] = await db().execute<{ early: number }>(sql`
      SELECT count(*)::int AS early FROM email_outbox
      WHERE recipient = ANY(${`{${recipients.join(",")}}`}::text[]) AND next_attempt_at < ${t0}::timestamptz + interval '240 milliseconds'`);
    expect(early, "nothing is retried before its backoff").toBe(0);

    catcher = await startTestCatcher(SMTP_PORT, { dir: catcher.dir });
    await sleep(800); // past the first backoff (300 ms ± 20 %)
    await deliverDue();
    const caught = caughtFor(catcher.dir, recipients);
    expect(caught).toHaveLength(10);
    const rows = await outboxFor(recipients);
    expect(rows.every((m) => m.status === "SENT" && m.attempts === 2)).toBe(true);
    expect(new Set(caught.map((m) => m.messageId))).toEqual(new Set(rows.map((m) => m.message_id)));
  });

  it("a permanent refusal (550) gives up at once and clears the secret; a temporary one (451) retries", async () => {
    const [gone, later] = [uniqueEmail("outbox-int-gone"), uniqueEmail("outbox-int-later")];
    await catcher.stop();
    catcher = await startTestCatcher(SMTP_PORT, {
      dir: catcher.dir,
      beforeAccept: (m) => {
        const to = m.envelope.to[0];
        if (to === gone) throw Object.assign(new Error("No such mailbox"), { responseCode: 550 });
        if (to === later) throw Object.assign(new Error("Try again later"), { responseCode: 451 });
      },
    });
    await db().transaction(async (tx) => {
      await enqueueMail(tx, { kind: "password_reset", recipient: gone, payload: { minutes: 60 }, secret: { token: "x".repeat(43) } });
      await enqueueMail(tx, { kind: "password_reset", recipient: later, payload: { minutes: 60 }, secret: { token: "y".repeat(43) } });
    });
    await deliverDue();
    const [a] = await outboxFor([gone]);
    const [b] = await outboxFor([later]);
    expect(a).toMatchObject({ status: "DEAD", secret: null });
    expect(b).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(b.secret).not.toBeNull();
    await catcher.stop();
    catcher = await startTestCatcher(SMTP_PORT, { dir: catcher.dir });
  });

  it("a message with the same dedupe key is queued once", async () => {
    const to = uniqueEmail("outbox-int-dedupe");
    const key = `test:${to}`;
    const results = await Promise.all(
      [1, 2, 3].map(() => db().transaction((tx) => enqueueMail(tx, { kind: "password_changed", recipient: to, dedupeKey: key }))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await outboxFor([to])).toHaveLength(1);
  });
});
