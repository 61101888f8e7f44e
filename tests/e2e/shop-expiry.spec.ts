import { clickSeat, expect, seats, setHoldSeconds, test } from "./fixtures";

// A hold runs out: the countdown reaches zero, the page says so, the seats are free again,
// and the checkout page of that reservation explains that the hold ended.

test("the countdown runs out, the page says so and the seat is free again", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Short hold", sections: [seats(1, 6, 1000, "Stalls")] });
  await setHoldSeconds(event.id, 5);
  await page.goto(`/events/${event.id}`);
  await clickSeat(page, 2);
  await page.getByRole("button", { name: "Reserve 1 seat" }).click();
  await expect(page.getByTestId("hold-panel")).toBeVisible();
  await expect(page.getByTestId("countdown")).toHaveText(/^0:0[0-5]$/);
  const checkoutHref = await page.getByTestId("checkout-link").getAttribute("href");

  await expect(page.getByTestId("shop-message")).toHaveText("Your hold has expired and the seats were released. You can pick seats again.", {
    timeout: 10_000,
  });
  await expect(page.getByTestId("hold-panel")).toHaveCount(0);

  // Free again for anyone, including this customer, as soon as the map has caught up (a click
  // on a seat still shown as held only explains, so repeating it is harmless).
  await expect(async () => {
    await clickSeat(page, 2);
    await expect(page.getByTestId("selected-items")).toContainText("row A, seat 3", { timeout: 500 });
  }).toPass({ timeout: 5000 });

  await page.goto(checkoutHref!);
  await expect(page.getByTestId("hold-ended")).toContainText("Your hold on these seats has ended");
  await expect(page.getByTestId("checkout-form")).toHaveCount(0);
});
