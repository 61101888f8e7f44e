import { eq } from "drizzle-orm";
import type { Page } from "@playwright/test";
import { db } from "@/db";
import { events } from "@/db/schema";
import { countBookings, expect, SCREENS, seats, test } from "./fixtures";

// 3-D Secure in Chromium with the mock provider's test card: the customer is sent to the bank's
// challenge (the mock challenge page), answers, and comes back to the shop, which finishes the
// order. Then a customer cancels their own booking under the event's cancellation policy.

/** Types a card as a customer would (production pages list no test cards). */
async function fillCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry (MM/YY)").fill(`12/${(new Date().getUTCFullYear() + 3) % 100}`);
  await page.getByLabel("Security code").fill("123");
}

async function toCheckout(page: Page, eventId: string) {
  await page.goto(`/events/${eventId}`);
  await page.getByRole("form", { name: "Best available seats together" }).getByRole("button", { name: "Find seats" }).click();
  await page.getByRole("button", { name: "Reserve 2 seats" }).click();
  await page.getByTestId("checkout-link").click();
  await expect(page).toHaveURL(/\/checkout\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop()!;
}

test("a card that asks for 3-D Secure: approve at the bank, back to the shop, tickets", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Verified payment", sections: [seats(1, 8, 2500, "Stalls")] });
  const reservationId = await toCheckout(page, event.id);
  await fillCard(page, "4000 0027 6000 3184"); // the mock provider's 3-D Secure card
  await page.getByRole("button", { name: "Pay €50.00" }).click();
  await expect(page).toHaveURL(/\/payments\/mock-challenge\/ch_mock_/);
  await expect(page.getByRole("heading", { name: "Confirm this payment" })).toBeVisible();
  await expect(page.getByTestId("challenge-amount")).toHaveText("€50.00");
  await page.screenshot({ path: `${SCREENS}/three-d-secure-challenge.png`, fullPage: true });
  await page.getByRole("button", { name: "Approve payment" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/, { timeout: 15_000 });
  await expect(page.getByTestId("paid-banner")).toContainText("Your booking is confirmed");
  await page.screenshot({ path: `${SCREENS}/three-d-secure-paid.png`, fullPage: true });
  expect(await countBookings(reservationId)).toBe(1);
});

test("cancelling the 3-D Secure check: back at the checkout, told nothing was charged, another card pays", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Unverified payment", sections: [seats(1, 8, 2500, "Stalls")] });
  const reservationId = await toCheckout(page, event.id);
  await fillCard(page, "4000 0027 6000 3184"); // the mock provider's 3-D Secure card
  await page.getByRole("button", { name: "Pay €50.00" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(new RegExp(`/checkout/${reservationId}\\?payment=declined$`));
  await expect(page.getByTestId("verification-failed")).toContainText("nothing was charged");
  await page.screenshot({ path: `${SCREENS}/three-d-secure-cancelled.png`, fullPage: true });
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay €50.00" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/, { timeout: 15_000 });
  expect(await countBookings(reservationId)).toBe(1);
});

test("a customer cancels their booking under the event's policy and sees the refund", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Cancellable show", sections: [seats(1, 8, 2500, "Stalls")] });
  await db().update(events).set({ customerCancelHours: 24, customerCancelFeePercent: 10 }).where(eq(events.id, event.id));
  await toCheckout(page, event.id);
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay €50.00" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/, { timeout: 15_000 });
  await page.goto(page.url().replace("?paid=1", "")); // the booking as found later, from My bookings
  const cancel = page.getByTestId("cancel-booking");
  await expect(cancel).toContainText("If you cancel now you get €45.00 back (the tickets' €50.00 minus a cancellation fee of €5.00).");
  await cancel.getByRole("checkbox").check();
  await cancel.getByRole("button", { name: "Cancel booking" }).click();
  await expect(page.getByTestId("booking-status")).toHaveText("Cancelled — refunded minus the cancellation fee");
  await expect(page.getByTestId("refund")).toContainText("€45.00 refunded to your card (cancellation fee €5.00 kept)");
  await page.screenshot({ path: `${SCREENS}/booking-cancelled-by-customer.png`, fullPage: true });
});
