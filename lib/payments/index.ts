import "server-only";
import { env } from "@/lib/env";
import { mockProvider } from "./mock";
import { createStripeProvider, stripeClient } from "./stripe";
import { PaymentTimeoutError, type PaymentProvider, type ProviderName } from "./types";

export { MOCK_TEST_CARDS } from "./mock";
export { fromIntent, verifyStripeWebhook } from "./stripe";
export * from "./types";

// The configured provider (env PAYMENT_PROVIDER) takes new payments; a checkout remembers the
// provider it used, so refunds and lookups always go back to the same one.

const overrides = new Map<ProviderName, PaymentProvider>();

export function paymentProvider(name: string): PaymentProvider {
  const p = overrides.get(name as ProviderName);
  if (p) return p;
  if (name === "mock") return mockProvider;
  if (name === "stripe") return createStripeProvider(stripeClient());
  throw new Error(`unknown payment provider ${name}`);
}

export function configuredProvider(): ProviderName {
  return env().PAYMENT_PROVIDER;
}

/** Tests only: route a provider name to another implementation (e.g. Stripe against a local fake). */
export function setPaymentProviderForTests(name: ProviderName, provider: PaymentProvider | null) {
  if (provider) overrides.set(name, provider);
  else overrides.delete(name);
}

/**
 * Every provider call is bounded by PAYMENT_TIMEOUT_MS. On timeout the call may still land at
 * the provider; callers treat the outcome as unknown and ask again later by idempotency key.
 */
export async function withPaymentTimeout<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const ms = env().PAYMENT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const call = fn();
  call.catch(() => {}); // a late failure after we stopped waiting is not an unhandled rejection
  try {
    return await Promise.race([
      call,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new PaymentTimeoutError(what, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
