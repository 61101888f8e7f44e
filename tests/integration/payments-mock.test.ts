import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.PAYMENT_TIMEOUT_MS = "400"; // the slow card answers after 1.2 s
  process.env.MOCK_PAYMENT_LATENCY_MS = "60";
});

import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { mockLedger } from "@/db/schema";
import { PaymentTimeoutError, paymentProvider, withPaymentTimeout, type ChargeRequest } from "@/lib/payments";
import { card, type CardKind } from "@/tests/helpers/payments";
import { sleep } from "@/tests/helpers/wait";

const mock = paymentProvider("mock");

function req(kind: CardKind = "success", over: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    key: `test_${crypto.randomUUID()}`,
    checkoutId: crypto.randomUUID(),
    amountMinor: 1234,
    currency: "EUR",
    source: { method: "mock", card: card(kind) },
    description: "test",
    ...over,
  };
}

const rowsFor = (key: string) => db().select().from(mockLedger).where(eq(mockLedger.idempotencyKey, key));

describe("mock payment provider", () => {
  it("charges once per idempotency key, even when asked twice at the same time", async () => {
    const r = req();
    const started = performance.now();
    const [a, b, c] = await Promise.all([mock.charge(r), mock.charge(r), mock.charge(r)]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55); // MOCK_PAYMENT_LATENCY_MS
    expect(a).toMatchObject({ status: "succeeded" });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(await rowsFor(r.key)).toHaveLength(1);
    expect(await mock.lookup(r.key, null)).toEqual(a);
    await expect(mock.charge({ ...r, amountMinor: 999 })).rejects.toThrow(/different parameters/);
  });

  it("declines the decline, insufficient-funds and expired cards, and records them", async () => {
    expect(await mock.charge(req("decline"))).toMatchObject({ status: "declined", code: "card_declined" });
    expect(await mock.charge(req("insufficientFunds"))).toMatchObject({ status: "declined", code: "insufficient_funds" });
    const expired = req("success", { source: { method: "mock", card: { ...card(), expYear: 2020 } } });
    expect(await mock.charge(expired)).toMatchObject({ status: "declined", code: "expired_card" });
    expect((await rowsFor(expired.key))[0]).toMatchObject({ kind: "CHARGE", outcome: "expired_card", cardLast4: "4242" });
    expect(await mock.lookup(`never_${crypto.randomUUID()}`, null)).toEqual({ status: "unknown" });
  });

  it("the flaky card fails the first attempt of a key without recording it; the retry charges once", async () => {
    const r = req("flaky");
    await expect(mock.charge(r)).rejects.toThrow(/503/);
    expect(await rowsFor(r.key)).toHaveLength(0);
    expect(await mock.charge(r)).toMatchObject({ status: "succeeded" });
    expect(await mock.charge(r)).toMatchObject({ status: "succeeded" });
    expect(await rowsFor(r.key)).toHaveLength(1);
  });

  it("refunds a charge in parts, once per key, never more than it took, even when asked at the same time", async () => {
    const r = req(); // 1234
    const charged = await mock.charge(r);
    if (charged.status !== "succeeded") throw new Error("charge failed");
    const ask = (key: string, amountMinor: number) => mock.refund({ key, chargeId: charged.chargeId, amountMinor, currency: "EUR" });
    const [x, again] = await Promise.all([ask(`refund_a_${r.key}`, 600), ask(`refund_a_${r.key}`, 600)]);
    expect(again).toEqual(x); // the same key: the same refund
    await expect(ask(`refund_a_${r.key}`, 500)).rejects.toThrow(/reused with different parameters/);
    // Two more parts at once, of which only one still fits: exactly one of them moves money.
    const both = await Promise.allSettled([ask(`refund_b_${r.key}`, 600), ask(`refund_c_${r.key}`, 600)]);
    expect(both.filter((b) => b.status === "fulfilled")).toHaveLength(1);
    expect(both.filter((b) => b.status === "rejected").map((b) => String((b as PromiseRejectedResult).reason))).toEqual([
      expect.stringMatching(/would exceed/),
    ]);
    const [n] = await db().execute<{ n: number; sum: number }>(
      sql`SELECT count(*)::int AS n, sum(amount_minor)::int AS sum FROM mock_ledger WHERE kind = 'REFUND' AND charge_id = ${charged.chargeId}`,
    );
    expect(n).toEqual({ n: 2, sum: 1200 });
    await expect(mock.refund({ key: `refund_${crypto.randomUUID()}`, chargeId: "ch_mock_nope", amountMinor: 1, currency: "EUR" })).rejects.toThrow(
      /no successful charge/,
    );
    const declined = await mock.charge(req("decline"));
    await expect(
      mock.refund({ key: `refund_${crypto.randomUUID()}`, chargeId: (declined as { chargeId: string }).chargeId, amountMinor: 1234, currency: "EUR" }),
    ).rejects.toThrow();
  });

  it("the slow card outlasts PAYMENT_TIMEOUT_MS, then succeeds at the provider", async () => {
    const r = req("slow");
    const t = performance.now();
    await expect(withPaymentTimeout("charge", () => mock.charge(r))).rejects.toBeInstanceOf(PaymentTimeoutError);
    expect(performance.now() - t).toBeLessThan(1000);
    await sleep(1200);
    expect(await mock.lookup(r.key, null)).toMatchObject({ status: "succeeded" });
  });

  it("cancelling a key voids it: a charge arriving afterwards moves no money", async () => {
    const r = req("slow");
    const late = mock.charge(r);
    expect(await mock.cancel(r.key, null, r.amountMinor, r.currency)).toMatchObject({ status: "canceled" });
    expect(await late).toMatchObject({ status: "canceled" });
    expect((await rowsFor(r.key)).map((x) => x.outcome)).toEqual(["canceled"]);
    // Cancelling a key that already charged reports the charge instead.
    const done = req();
    const charged = await mock.charge(done);
    expect(await mock.cancel(done.key, null, done.amountMinor, done.currency)).toEqual(charged);
  });
});
