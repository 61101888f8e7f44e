import type { Page } from "@playwright/test";

// The browser suite runs a production build, whose checkout page never prints the mock
// provider's test cards: a customer types the card, as anyone paying would. The numbers are the
// documented ones (README "Payments"; lib/payments/mock.ts, which this process cannot import).
const CARDS = { success: "4242 4242 4242 4242", decline: "4000 0000 0000 0002", insufficientFunds: "4000 0000 0000 9995" };

export async function typeCard(page: Page, kind: keyof typeof CARDS = "success") {
  const form = page.getByTestId("checkout-form");
  await form.getByLabel("Card number").fill(CARDS[kind]);
  await form.getByLabel("Expiry (MM/YY)").fill(`12/${String(new Date().getFullYear() + 3).slice(2)}`);
  await form.getByLabel("Security code").fill("123");
}
