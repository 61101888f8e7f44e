import type { Page } from "@playwright/test";
import { countBookings, expect, SCREENS, seats, test } from "./fixtures";
import { typeCard } from "./support/checkout";

// Retrying after a declined card. A person who sees "declined", picks another card and presses
// Pay at once must get their tickets from that press: the next attempt's Idempotency-Key comes
// back with the decline itself, so it never depends on a page refresh arriving first, and the
// new card is a new attempt, never "this form was already used with other card details".

async function toCheckout(page: Page, eventId: string) {
  await page.goto(`/events/${eventId}`);
  await page.getByRole("form", { name: "Best available seats together" }).getByRole("button", { name: "Find seats" }).click();
  await page.getByRole("button", { name: "Reserve 2 seats" }).click();
  await page.getByTestId("checkout-link").click();
  await expect(page).toHaveURL(/\/checkout\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop()!;
}

/** Every key the checkout form submits, in order (the hidden field of each server action POST). */
function submittedKeys(page: Page): string[] {
  const keys: string[] = [];
  page.on("request", (req) => {
    if (req.method() !== "POST" || !req.headers()["next-action"]) return;
    const m = /name="[^"]*idempotencyKey"\r\n\r\n([0-9a-f-]{36})/.exec(req.postData() ?? "");
    if (m) keys.push(m[1]);
  });
  return keys;
}

test("another card right after a decline pays on the first press, even when page refreshes are slow", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Second card", sections: [seats(1, 8, 3000, "Stalls")] });
  const reservationId = await toCheckout(page, event.id);
  const keys = submittedKeys(page);
  // Page refreshes (React Server Component fetches of this page) take 8 s, as on a slow phone
  // network or a busy server: nothing the customer does next may wait for one.
  await page.route(/\/checkout\//, async (route) => {
    if (route.request().method() === "GET" && route.request().headers()["rsc"] === "1") await new Promise((r) => setTimeout(r, 8000));
    await route.continue().catch(() => {}); // the page may have moved on meanwhile
  });

  await typeCard(page, "decline");
  await page.getByRole("button", { name: "Pay €60.00" }).click();
  const alert = page.getByTestId("checkout-form").getByRole("alert");
  await expect(alert).toContainText("Your card was declined. Nothing was charged.");
  await page.screenshot({ path: `${SCREENS}/checkout-retry-declined.png`, fullPage: true });

  // At once: another card, one press.
  const started = Date.now();
  await typeCard(page, "success");
  await page.getByRole("button", { name: "Pay €60.00" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/, { timeout: 15_000 });
  await expect(page.getByTestId("paid-banner")).toContainText("Your booking is confirmed");
  expect(Date.now() - started, "the second press answered without waiting for a refresh").toBeLessThan(7000);
  expect(keys).toHaveLength(2);
  expect(keys[1]).not.toBe(keys[0]);
  expect(await countBookings(reservationId)).toBe(1);
});

test("declined twice, then paid: each press is its own attempt with its own key", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Third card", sections: [seats(1, 8, 3000, "Stalls")] });
  const reservationId = await toCheckout(page, event.id);
  const keys = submittedKeys(page);
  const alert = page.getByTestId("checkout-form").getByRole("alert");
  await typeCard(page, "decline");
  await page.getByRole("button", { name: "Pay €60.00" }).click();
  await expect(alert).toContainText("Your card was declined.");
  await typeCard(page, "insufficientFunds");
  await page.getByRole("button", { name: "Pay €60.00" }).click();
  await expect(alert).toContainText("Your card has insufficient funds.");
  await page.screenshot({ path: `${SCREENS}/checkout-retry-insufficient.png`, fullPage: true });
  await typeCard(page, "success");
  await page.getByRole("button", { name: "Pay €60.00" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/);
  expect(new Set(keys).size).toBe(3);
  expect(await countBookings(reservationId)).toBe(1);
});
