import { clickSeat, expect, SCREENS, seats, signInPage, test } from "./fixtures";

// Words and controls that must agree with each other: the link to a customer's bookings is
// called what the page it opens is called, and a visitor who is not signed in can undo a pick
// as easily as one who is.

test("a signed-out visitor picks seats and clears them in one press; the pick stays cleared after a reload", async ({ page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Undo a pick", sections: [seats(2, 8, 2000, "Stalls")] });
  await page.goto(`/events/${event.id}`);
  const selected = page.getByTestId("selected-items");
  await clickSeat(page, 2);
  await clickSeat(page, 3);
  await expect(selected.getByRole("listitem")).toHaveCount(2);
  await expect(page.getByRole("link", { name: "Sign in to reserve" })).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/signed-out-pick.png`, fullPage: true });
  await page.getByTestId("selection-panel").getByRole("button", { name: "Clear selection" }).click();
  await expect(selected).toHaveCount(0);
  await expect(page.getByTestId("selection-panel")).toContainText("Pick seats on the map");
  // The pick is kept across a sign-in round trip (session storage), so clearing must clear that too.
  await page.reload();
  await expect(page.getByTestId("seat-map")).toBeVisible();
  await expect(page.getByTestId("selected-items")).toHaveCount(0);
});

test("the main menu's link to your bookings is named like the page it opens", async ({ page, customer }) => {
  await signInPage(page, customer.email);
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "My bookings" }).click();
  await expect(page).toHaveURL("/account/bookings");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My bookings");
  await expect(page).toHaveTitle(/^My bookings/);
  await expect(nav.getByRole("link", { name: "My tickets" })).toHaveCount(0);
});
