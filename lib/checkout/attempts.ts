// Which answers to a checkout attempt leave it open. For these the outcome is still being
// decided (the provider has not answered yet, or another request with the key is running), so
// the client retries with the SAME Idempotency-Key and learns the one outcome. Every other answer
// is final for its key (stored and replayed byte for byte), so the next attempt — another card
// after a decline, say — needs a NEW key. No imports: the checkout form uses this too.

// payment_action_required: the bank asked for 3-D Secure; after the customer answers, the same
// key learns how the charge ended (it is never charged a second time).
export const SAME_KEY_RETRY_CODES = [
  "payment_timeout",
  "payment_unavailable",
  "idempotency_in_flight",
  "reservation_locked",
  "payment_action_required",
] as const;

export function retriesWithSameKey(code: string | undefined): boolean {
  return (SAME_KEY_RETRY_CODES as readonly string[]).includes(code ?? "");
}
