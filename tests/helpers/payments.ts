import crypto from "node:crypto";
import { MOCK_TEST_CARDS } from "@/lib/payments/mock";

// Paying in tests: the mock provider's test cards (lib/payments/mock.ts) and idempotency keys.

export type CardKind = keyof typeof MOCK_TEST_CARDS;

/** A mock test card that expires in three years: "success", "decline", "slow", … */
export function card(kind: CardKind = "success") {
  return { number: MOCK_TEST_CARDS[kind], expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: "123" };
}

/** The `payment` member of a checkout with that card. */
export function pay(kind: CardKind = "success") {
  return { method: "mock" as const, card: card(kind) };
}

/** A fresh Idempotency-Key. */
export const newKey = () => crypto.randomUUID();
