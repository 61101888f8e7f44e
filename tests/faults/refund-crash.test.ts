import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import type { MailCatcher } from "@/lib/dev/mail-catcher";
import { shareAppSecrets, startApp, type App } from "@/tests/helpers/app";
import { placeStates } from "@/tests/helpers/db-state";
import { createTestEvent, createUser, seats, uniqueEmail } from "@/tests/helpers/fixtures";
import { buyOver, call, type Answer } from "@/tests/helpers/http";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { caughtFor, outboxFor, pickPort, startTestCatcher } from "@/tests/helpers/mail";
import { bearerTokens } from "@/tests/helpers/race";
import type { TickResult } from "@/tests/helpers/responses";
import { eventually } from "@/tests/helpers/wait";

// App processes SIGKILLed in the middle of an organizer's refund (docs/refunds.md). The
// X-Tessera-Fault header (test builds only) makes the process kill itself at a step: inside the
// refund's transaction (nothing may survive), after the commit before the payment provider is
// asked, and after the provider refunded before that is recorded. Another process then carries
// on — the organizer's retry, the cron tick's sweep, its mail loop — and afterwards: the money
// went back exactly once (at our books and the provider's), the seats are on sale once, the
// customer got one refund email, and the integrity checks are clean.

shareAppSecrets();

const BASE_ENV = { TESSERA_TEST_FAULTS: "1", RATE_LIMIT_RESERVATION: "1000/60", RATE_LIMIT_CONFIRM: "1000/60", MAIL_RETRY_BASE_MS: "300" };
let catcher: MailCatcher;
let survivor: App;
let smtp: Record<string, string>;

beforeAll(async () => {
  const port = await pickPort();
  catcher = await startTestCatcher(port);
  smtp = { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: "Tessera Faults <tickets@tessera.test>", TESSERA_TEST_MAIL_SCOPE: "refund-crash-%" };
  survivor = await startApp({ env: { ...BASE_ENV, ...smtp, MAIL_POLL_MS: "200" } });
}, 120_000);
afterAll(async () => {
  await survivor?.stop();
  await catcher?.stop();
});

// The victim sends no mail itself (no delivery loop), so what reaches the customer is decided
// by the outbox alone, not by how far the victim's loop got before it died.
const victimApp = () => startApp({ env: { ...BASE_ENV, ...smtp, MAIL_POLL_MS: "0" } });

type RefundAnswer = { id: string; amountMinor: number; status: string; code?: string; detail?: string };

async function paidBooking() {
  const { event, organizer, places } = await createTestEvent({ sections: [seats(1, 3, 2500)] });
  const customer = await createUser("CUSTOMER", { email: uniqueEmail("refund-crash") });
  const [customerToken, organizerToken] = await bearerTokens([customer, organizer]);
  const bought = await buyOver(survivor.url, customerToken, event.id, { seatIds: places.map((p) => p.id) });
  expect(bought.pay?.status, bought.pay?.text).toBe(201);
  const booking = bought.pay!.body;
  return { event, places, customer, organizerToken, reference: booking.reference, ticketIds: booking.tickets.map((t) => t.id) };
}

const refundOn = (app: App, token: string, reference: string, ticketIds: string[], fault?: string): Promise<Answer<RefundAnswer>> =>
  call<RefundAnswer>(`${app.url}/api/v1/bookings/reference/${reference}/refunds`, {
    token,
    json: { reason: "The stage blocks the view from these seats", ticketIds },
    headers: fault ? { "x-tessera-fault": fault } : {},
    timeoutMs: 30_000,
  });

async function killedWhileRefunding(victim: App, send: () => Promise<Answer<unknown>>) {
  const exited = new Promise((r) => victim.child.once("exit", r));
  const answer = await send();
  expect(answer.status, "the dying process must not answer").toBe(0);
  await exited;
  expect(victim.child.signalCode).toBe("SIGKILL");
}

async function refundState(reference: string) {
  const [r] = await db().execute<{ refunds: number; pending: number; succeeded: number; mails: number }>(sql`
    SELECT (SELECT count(*)::int FROM refunds r WHERE r.booking_id = b.id) AS refunds,
      (SELECT count(*)::int FROM payments p JOIN refunds r ON r.id = p.refund_id WHERE r.booking_id = b.id AND p.status = 'PENDING') AS pending,
      (SELECT count(*)::int FROM payments p JOIN refunds r ON r.id = p.refund_id WHERE r.booking_id = b.id AND p.status = 'SUCCEEDED') AS succeeded,
      (SELECT count(*)::int FROM email_outbox o WHERE o.kind = 'booking_refunded' AND o.payload->>'bookingId' = b.id::text) AS mails
    FROM bookings b WHERE b.reference = ${reference}`);
  return r;
}

/** The sweep finishes refunds left PENDING for 30 s; the dead request's refund is made that old instead of waiting. */
async function sweepOn(app: App, reference: string) {
  await db().execute(sql`
    UPDATE payments p SET created_at = p.created_at - interval '1 minute'
    FROM refunds r JOIN bookings b ON b.id = r.booking_id
    WHERE p.refund_id = r.id AND b.reference = ${reference} AND p.status = 'PENDING'`);
  const tick = await call<TickResult>(`${app.url}/api/cron/tick`, { headers: { authorization: `Bearer ${process.env.CRON_SECRET}` } });
  expect(tick.status, tick.text).toBe(200);
  return tick.body.steps.find((s) => s.name === "sweepStuckCheckouts")!.result as { refundsFinished: number; failed: number };
}

/** Exactly one refund email reaches the customer (and stays one), besides the booking confirmation. */
async function expectOneRefundEmail(email: string, amountText: string) {
  const refundMails = () => caughtFor(catcher.dir, [email]).filter((m) => /^Refund for booking/.test(m.subject));
  await eventually("the refund email is delivered", async () => refundMails().length > 0, 20_000, 100);
  await eventually("the outbox marks it sent", async () => (await outboxFor([email])).every((m) => m.status === "SENT"), 20_000, 100);
  const [mail] = refundMails();
  expect(refundMails()).toHaveLength(1);
  expect(mail.text).toContain(amountText);
  expect(mail.text).toContain("The stage blocks the view from these seats");
}

async function expectStatuses(places: { id: number }[], want: string[]) {
  expect((await placeStates(places.map((p) => p.id))).map((p) => p.status)).toEqual(want);
}

describe("SIGKILL in the middle of an organizer's refund", () => {
  it("killed inside the refund's transaction: nothing happened; the organizer's retry on another process refunds once", async () => {
    const { event, places, customer, organizerToken, reference, ticketIds } = await paidBooking();
    const victim = await victimApp();
    await killedWhileRefunding(victim, () => refundOn(victim, organizerToken, reference, ticketIds.slice(0, 2), "crash-before-refund-commit"));
    expect(await refundState(reference)).toEqual({ refunds: 0, pending: 0, succeeded: 0, mails: 0 });
    await expectStatuses(places, ["SOLD", "SOLD", "SOLD"]);

    const retry = await refundOn(survivor, organizerToken, reference, ticketIds.slice(0, 2));
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body).toMatchObject({ amountMinor: 5000, status: "REFUNDED" });
    expect(await refundState(reference)).toEqual({ refunds: 1, pending: 0, succeeded: 1, mails: 1 });
    await expectStatuses(places, ["AVAILABLE", "AVAILABLE", "SOLD"]);
    expect(await ledger(event.id)).toMatchObject({ charged: 7500, refunded: 5000, charges: 1, refunds: 1 });
    await expectOneRefundEmail(customer.email, "€50.00");
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("killed after the commit, before the provider was asked: the retry is told it is done, the sweep moves the money once, one email", async () => {
    const { event, places, customer, organizerToken, reference, ticketIds } = await paidBooking();
    const victim = await victimApp();
    await killedWhileRefunding(victim, () => refundOn(victim, organizerToken, reference, ticketIds.slice(0, 2), "crash-before-refund"));
    // Committed: the tickets are void, the seats on sale, the email queued; the money not yet moved.
    expect(await refundState(reference)).toEqual({ refunds: 1, pending: 1, succeeded: 0, mails: 1 });
    await expectStatuses(places, ["AVAILABLE", "AVAILABLE", "SOLD"]);
    expect(await ledger(event.id)).toMatchObject({ refunds: 0 });

    // The organizer, seeing no answer, tries again: refused by name, nothing doubled.
    const retry = await refundOn(survivor, organizerToken, reference, ticketIds.slice(0, 2));
    expect(retry.status, retry.text).toBe(409);
    expect(retry.body.detail).toMatch(/^Already refunded: .*Nothing was changed\./);
    expect(await sweepOn(survivor, reference)).toMatchObject({ refundsFinished: 1, failed: 0 });
    expect(await sweepOn(survivor, reference)).toMatchObject({ refundsFinished: 0, failed: 0 });
    expect(await refundState(reference)).toEqual({ refunds: 1, pending: 0, succeeded: 1, mails: 1 });
    expect(await ledger(event.id)).toMatchObject({ charged: 7500, refunded: 5000, charges: 1, refunds: 1 });
    await expectStatuses(places, ["AVAILABLE", "AVAILABLE", "SOLD"]);
    await expectOneRefundEmail(customer.email, "€50.00");
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });

  it("killed after the provider refunded, before that was recorded: the sweep asks again with the same key, the money moves once", async () => {
    const { event, places, customer, organizerToken, reference, ticketIds } = await paidBooking();
    const victim = await victimApp();
    await killedWhileRefunding(victim, () => refundOn(victim, organizerToken, reference, ticketIds, "crash-after-refund"));
    expect(await refundState(reference)).toEqual({ refunds: 1, pending: 1, succeeded: 0, mails: 1 });
    expect(await ledger(event.id)).toMatchObject({ refunded: 7500, refunds: 1 }); // the provider did it; our books do not know yet
    await expectStatuses(places, ["AVAILABLE", "AVAILABLE", "AVAILABLE"]);

    expect(await sweepOn(survivor, reference)).toMatchObject({ refundsFinished: 1, failed: 0 });
    expect(await refundState(reference)).toEqual({ refunds: 1, pending: 0, succeeded: 1, mails: 1 });
    expect(await ledger(event.id)).toMatchObject({ charged: 7500, refunded: 7500, charges: 1, refunds: 1 }); // not a second refund
    const [b] = await db().execute<{ status: string }>(sql`SELECT status FROM bookings WHERE reference = ${reference}`);
    expect(b.status).toBe("CANCELLED");
    await expectOneRefundEmail(customer.email, "€75.00");
    // The seats are on sale once: someone else buys all three, and nothing is sold twice.
    const other = await createUser("CUSTOMER", { email: uniqueEmail("refund-crash") });
    const [otherToken] = await bearerTokens([other]);
    const resale = await buyOver(survivor.url, otherToken, event.id, { seatIds: places.map((p) => p.id) });
    expect(resale.pay?.status, resale.pay?.text).toBe(201);
    await expectStatuses(places, ["SOLD", "SOLD", "SOLD"]);
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });
});
