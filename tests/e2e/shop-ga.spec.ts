import { sql } from "drizzle-orm";
import { db } from "@/db";
import { countBookings, expect, ga, SCREENS, test } from "./fixtures";
import { typeCard } from "./support/checkout";

// General admission: a quantity picker per section with live availability; a paid purchase
// whose Pay button is pressed twice at once (one booking, one charge), and a free one.

test("buy general admission tickets; submitting the payment twice books and charges once", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Open air", sections: [ga(5, 1500, "Lawn"), ga(3, 4000, "Terrace")] });
  await page.goto(`/events/${event.id}`);
  const lawn = page.getByTestId("ga-Lawn");
  await expect(lawn.getByTestId("ga-available")).toHaveText("5 left");
  await expect(page.getByTestId("ga-Terrace").getByTestId("ga-available")).toHaveText("3 left");
  await lawn.getByLabel("Tickets").selectOption("3");
  await lawn.getByRole("button", { name: "Reserve" }).click();
  await expect(page.getByTestId("held-items").getByRole("listitem")).toHaveCount(3);
  await expect(page.getByTestId("held-items")).toContainText("Lawn (general admission)");
  await expect(lawn.getByTestId("ga-available")).toHaveText("2 left", { timeout: 4000 });
  await page.screenshot({ path: `${SCREENS}/event-ga.png`, fullPage: true });

  await page.getByTestId("checkout-link").click();
  await expect(page).toHaveURL(/\/checkout\/[0-9a-f-]{36}$/);
  const reservationId = page.url().split("/").pop()!;
  await expect(page.getByTestId("order-total")).toHaveText("€45.00");
  await typeCard(page);
  // Two submissions of the same form (same idempotency key), as a double click or a flaky
  // network retry would send them.
  await page.getByTestId("checkout-form").evaluate((form: HTMLFormElement) => {
    form.requestSubmit();
    form.requestSubmit();
  });
  await expect(page).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/);
  await expect(page.getByTestId("ticket")).toHaveCount(3);
  expect(await countBookings(reservationId)).toBe(1);
  const [{ charges }] = await db().execute<{ charges: number }>(
    sql`select count(*)::int as charges from payments p join checkouts c on c.id = p.checkout_id where c.reservation_id = ${reservationId} and p.kind = 'CHARGE'`,
  );
  expect(charges).toBe(1);
});

test("free general admission: confirm without a card", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Free open day", sections: [ga(10, 0, "Hall")] });
  await page.goto(`/events/${event.id}`);
  const hall = page.getByTestId("ga-Hall");
  await expect(hall).toContainText("Free");
  await hall.getByLabel("Tickets").selectOption("2");
  await hall.getByRole("button", { name: "Reserve" }).click();
  await page.getByTestId("checkout-link").click();
  await expect(page.getByLabel("Card number")).toHaveCount(0);
  await page.getByRole("button", { name: "Confirm free tickets" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/);
  await expect(page.getByTestId("ticket")).toHaveCount(2);
  await expect(page.getByText("Free · booked")).toBeVisible();
});
