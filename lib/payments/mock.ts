import "server-only";
import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { mockLedger } from "@/db/schema";
import { env } from "@/lib/env";
import type { ChargeOutcome, ChargeRequest, PaymentProvider, RefundRequest } from "./types";

// The mock provider behaves like a real one where it matters for correctness: it keeps its own
// books (mock_ledger), answers a repeated idempotency key with the first result, refunds a charge
// in parts but never more than it took, can be slow, and decides by card number (Stripe's test numbers where they exist):
//
//   4242 4242 4242 4242  succeeds
//   4000 0000 0000 0002  declined (card_declined)
//   4000 0000 0000 9995  declined (insufficient_funds)
//   4000 0000 0000 0077  slow: answers after 3 × PAYMENT_TIMEOUT_MS and then succeeds, so the
//                        caller always times out first (unless the key was cancelled meanwhile)
//   4000 0000 0000 0119  flaky: the first attempt of each idempotency key (per process) fails like
//                        a provider 5xx, recording nothing; a retry with the same key succeeds
//   4000 0027 6000 3184  3-D Secure: the charge waits (requires_action) until the customer
//                        approves or cancels on the mock challenge page (app/payments/mock-challenge),
//                        then succeeds or is declined (authentication_failed); cancelling the key
//                        while it waits voids it (an abandoned challenge charges nothing)
//   any other Luhn-valid number succeeds; an expiry date in the past is declined (expired_card).
//
// MOCK_PAYMENT_LATENCY_MS adds latency to every charge and refund ("300", or "300-1500" for a
// uniformly drawn time like a real provider's spread). The ledger is one row per
// idempotency key; "canceled" rows void a key so a charge that arrives later cannot move money.

export const MOCK_TEST_CARDS = {
  success: "4242424242424242",
  decline: "4000000000000002",
  insufficientFunds: "4000000000009995",
  slow: "4000000000000077",
  flaky: "4000000000000119",
  threeDSecure: "4000002760003184",
} as const;

/** The mock challenge page for a charge waiting for 3-D Secure (the customer's "bank"). */
export const mockChallengePath = (chargeId: string, returnPath: string) =>
  `/payments/mock-challenge/${encodeURIComponent(chargeId)}?return=${encodeURIComponent(returnPath)}`;

const failedOnce = new Set<string>();

type LedgerRow = typeof mockLedger.$inferSelect;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const latency = () => {
  const { min, max } = env().MOCK_PAYMENT_LATENCY_MS;
  return min + Math.random() * (max - min);
};
const newId = (prefix: string) => `${prefix}_${crypto.randomBytes(12).toString("hex")}`;

function decide(card: { number: string; expMonth: number; expYear: number }): string {
  const number = card.number.replace(/\D/g, "");
  if (number === MOCK_TEST_CARDS.decline) return "card_declined";
  if (number === MOCK_TEST_CARDS.insufficientFunds) return "insufficient_funds";
  if (number === MOCK_TEST_CARDS.threeDSecure) return "requires_action";
  // The provider's own clock, as a real card network would use: not one of our deadlines.
  const now = new Date();
  const expired = card.expYear < now.getUTCFullYear() || (card.expYear === now.getUTCFullYear() && card.expMonth < now.getUTCMonth() + 1);
  return expired ? "expired_card" : "succeeded";
}

function toOutcome(row: LedgerRow, returnPath = "/"): ChargeOutcome {
  if (row.outcome === "succeeded") return { status: "succeeded", chargeId: row.chargeId };
  if (row.outcome === "canceled") return { status: "canceled", chargeId: row.chargeId };
  if (row.outcome === "requires_action")
    return { status: "requires_action", chargeId: row.chargeId, action: { url: mockChallengePath(row.chargeId, returnPath) } };
  const message =
    row.outcome === "insufficient_funds"
      ? "Your card has insufficient funds."
      : row.outcome === "expired_card"
        ? "Your card has expired."
        : row.outcome === "authentication_failed"
          ? "The verification with your bank was not completed."
          : "Your card was declined.";
  return { status: "declined", code: row.outcome, message, chargeId: row.chargeId };
}

async function chargeRow(key: string): Promise<LedgerRow | undefined> {
  const [row] = await db()
    .select()
    .from(mockLedger)
    .where(and(eq(mockLedger.idempotencyKey, key), eq(mockLedger.kind, "CHARGE")))
    .limit(1);
  return row;
}

/** First writer of a key wins; everyone else gets the stored row (idempotency like Stripe's). */
async function insertOnce(values: typeof mockLedger.$inferInsert): Promise<LedgerRow> {
  const [inserted] = await db().insert(mockLedger).values(values).onConflictDoNothing({ target: mockLedger.idempotencyKey }).returning();
  if (inserted) return inserted;
  const [existing] = await db().select().from(mockLedger).where(eq(mockLedger.idempotencyKey, values.idempotencyKey)).limit(1);
  if (existing.amountMinor !== values.amountMinor || existing.kind !== values.kind) {
    throw new Error(`mock provider: idempotency key ${values.idempotencyKey} reused with different parameters`);
  }
  return existing;
}

export const mockProvider: PaymentProvider = {
  name: "mock",

  async charge(req: ChargeRequest): Promise<ChargeOutcome> {
    if (req.source.method !== "mock") throw new Error("mock provider: card payments only");
    const card = req.source.card;
    const e = env();
    const number = card.number.replace(/\D/g, "");
    await sleep(number === MOCK_TEST_CARDS.slow ? e.PAYMENT_TIMEOUT_MS * 3 : latency());
    if (number === MOCK_TEST_CARDS.flaky && !failedOnce.has(req.key)) {
      failedOnce.add(req.key);
      throw new Error("mock provider: 503 service unavailable (flaky test card)");
    }
    const outcome = decide(card);
    const row = await insertOnce({
      idempotencyKey: req.key,
      kind: "CHARGE",
      chargeId: newId("ch_mock"),
      amountMinor: req.amountMinor,
      currency: req.currency,
      outcome,
      cardLast4: number.slice(-4),
    });
    return toOutcome(row, req.returnPath);
  },

  async lookup(key: string, _ref: string | null, returnPath?: string): Promise<ChargeOutcome> {
    const row = await chargeRow(key);
    return row ? toOutcome(row, returnPath) : { status: "unknown" };
  },

  async cancel(key: string, _ref: string | null, amountMinor: number, currency: string): Promise<ChargeOutcome> {
    const row = await insertOnce({ idempotencyKey: key, kind: "CHARGE", chargeId: newId("void_mock"), amountMinor, currency, outcome: "canceled" });
    if (row.outcome !== "requires_action") return toOutcome(row);
    // A challenge nobody finished: void it, unless the customer approves at this very moment.
    const [after] = await db()
      .update(mockLedger)
      .set({ outcome: "canceled" })
      .where(and(eq(mockLedger.id, row.id), eq(mockLedger.outcome, "requires_action")))
      .returning();
    return toOutcome(after ?? (await chargeRow(key))!);
  },

  async refund(req: RefundRequest): Promise<{ refundId: string }> {
    await sleep(latency());
    // Under the charge's row lock, so refunds of one charge are judged one at a time: a repeated
    // key answers the first refund, and all refunds together never exceed the charge.
    return db().transaction(async (tx) => {
      const [charge] = await tx
        .select()
        .from(mockLedger)
        .where(and(eq(mockLedger.chargeId, req.chargeId), eq(mockLedger.kind, "CHARGE")))
        .limit(1)
        .for("update");
      if (!charge || charge.outcome !== "succeeded") throw new Error(`mock provider: no successful charge ${req.chargeId} to refund`);
      const [same] = await tx.select().from(mockLedger).where(eq(mockLedger.idempotencyKey, req.key)).limit(1);
      if (same) {
        if (same.kind !== "REFUND" || same.chargeId !== req.chargeId || same.amountMinor !== req.amountMinor) {
          throw new Error(`mock provider: idempotency key ${req.key} reused with different parameters`);
        }
        return { refundId: `re_mock_${same.id}` };
      }
      const [{ refunded }] = await tx.execute<{ refunded: number }>(sql`
        SELECT coalesce(sum(amount_minor), 0)::int AS refunded FROM mock_ledger WHERE charge_id = ${req.chargeId} AND kind = 'REFUND'`);
      if (refunded + req.amountMinor > charge.amountMinor) {
        throw new Error(`mock provider: refunding ${req.amountMinor} would exceed charge ${req.chargeId} (${charge.amountMinor}, ${refunded} refunded)`);
      }
      const [inserted] = await tx
        .insert(mockLedger)
        .values({ idempotencyKey: req.key, kind: "REFUND", chargeId: req.chargeId, amountMinor: req.amountMinor, currency: req.currency, outcome: "succeeded" })
        .returning();
      return { refundId: `re_mock_${inserted.id}` };
    });
  },
};

/**
 * The customer answers the mock 3-D Secure challenge of a charge: approve (the charge succeeds)
 * or cancel (declined, authentication_failed). Only a charge still waiting changes, so an
 * answer after the key was voided (the hold ended meanwhile) moves no money.
 */
export async function answerMockChallenge(chargeId: string, approve: boolean): Promise<"succeeded" | "declined" | "closed"> {
  const [row] = await db()
    .update(mockLedger)
    .set({ outcome: approve ? "succeeded" : "authentication_failed" })
    .where(and(eq(mockLedger.chargeId, chargeId), eq(mockLedger.kind, "CHARGE"), eq(mockLedger.outcome, "requires_action")))
    .returning();
  if (!row) return "closed";
  return approve ? "succeeded" : "declined";
}

/** A mock charge waiting for its challenge: its amount, for the challenge page. Null when there is none. */
export async function mockChallenge(chargeId: string): Promise<{ amountMinor: number; currency: string; cardLast4: string | null } | null> {
  const [row] = await db()
    .select()
    .from(mockLedger)
    .where(and(eq(mockLedger.chargeId, chargeId), eq(mockLedger.kind, "CHARGE"), eq(mockLedger.outcome, "requires_action")))
    .limit(1);
  return row ? { amountMinor: row.amountMinor, currency: row.currency.trim(), cardLast4: row.cardLast4 } : null;
}
