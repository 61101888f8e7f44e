import { createUser, uniqueEmail } from "@/tests/helpers/fixtures";
import { clickSeat, customerContext, expect, SCREENS, seats, seriousA11yViolations, signInPage, test } from "./fixtures";
import { typeCard } from "./support/checkout";

// Ticket types end to end: an organizer adds Adult and Child prices to an event on its Ticket
// types page; a customer holds two seats, picks Adult for one and Child for the other in the
// checkout's order summary (the total follows), pays, and finds both types on the booking and
// its tickets; the organizer's dashboard counts sales per type; at the box office the organizer
// sells two seats in one order, one Adult and one Child.

test("an organizer adds ticket types; a customer buys an Adult and a Child ticket", async ({ page, browser, makeEvent }) => {
  const organizer = await createUser("ORGANIZER", { name: "Tia Types" });
  const { event } = await makeEvent({ organizer, sections: [seats(2, 8, 4000, "Stalls")], title: "Family matinee" });

  await signInPage(page, organizer.email);
  await page.goto(`/admin/events/${event.id}`);
  await page.getByRole("link", { name: "Ticket types" }).click();
  await expect(page.getByRole("heading", { name: "Ticket types", level: 1 })).toBeVisible();
  const add = page.getByTestId("new-ticket-type-form");
  await add.getByLabel("Name").fill("Adult");
  // The price starts at the section's own price.
  await expect(add.getByLabel("Price in Stalls")).toHaveValue("40.00");
  await add.getByRole("button", { name: "Add ticket type" }).click();
  await expect(page.getByTestId("ticket-type-Adult")).toContainText("Stalls €40.00");
  await add.getByLabel("Name").fill("Child");
  await add.getByLabel("Note for customers (optional)").fill("Under 14");
  await add.getByLabel("Order (lowest first; the first is the default)").fill("1");
  await add.getByLabel("Limit for the event (empty: no limit)").fill("20");
  await add.getByLabel("Price in Stalls").fill("20");
  await add.getByRole("button", { name: "Add ticket type" }).click();
  await expect(page.getByTestId("ticket-type-Child")).toContainText("Stalls €20.00");
  await expect(page.getByTestId("ticket-type-Child")).toContainText("0 sold · limit 20 (20 left)");
  // A name already used is refused next to the field, nothing lost.
  await add.getByLabel("Name").fill("adult");
  await add.getByRole("button", { name: "Add ticket type" }).click();
  await expect(add.getByText("Already used for this event")).toBeVisible();
  await expect(add.getByLabel("Name")).toHaveValue("adult");
  await page.screenshot({ path: `${SCREENS}/ticket-types-admin.png`, fullPage: true });
  expect(await seriousA11yViolations(page)).toEqual([]);

  const { context, page: shop } = await customerContext(browser);
  await shop.goto(`/events/${event.id}`);
  const finder = shop.getByRole("form", { name: "Best available seats together" });
  await finder.getByLabel("Seats").selectOption("2");
  await finder.getByRole("button", { name: "Find seats" }).click();
  await shop.getByRole("button", { name: "Reserve 2 seats" }).click();
  await shop.getByTestId("checkout-link").click();
  await expect(shop).toHaveURL(/\/checkout\/[0-9a-f-]{36}$/);

  // Each seat starts as the first type (Adult); choosing Child for the second updates the total.
  const selects = shop.getByTestId("ticket-type-select");
  await expect(selects).toHaveCount(2);
  await expect(shop.getByTestId("order-total")).toHaveText("€80.00");
  await shop.getByLabel("Ticket type for Stalls, row A, seat 5").selectOption({ label: "Child — €20.00" });
  await expect(shop.getByTestId("order-items")).toContainText("Under 14");
  await expect(shop.getByTestId("item-price")).toHaveText(["€40.00", "€20.00"]);
  await expect(shop.getByTestId("order-total")).toHaveText("€60.00");
  await shop.screenshot({ path: `${SCREENS}/ticket-types-checkout.png`, fullPage: true });
  expect(await seriousA11yViolations(shop)).toEqual([]);
  await typeCard(shop);
  await shop.getByRole("button", { name: "Pay €60.00" }).click();

  await expect(shop).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/);
  await expect(shop.getByTestId("booking-status")).toHaveText("Confirmed");
  const tickets = shop.getByTestId("ticket");
  await expect(tickets).toHaveCount(2);
  await expect(tickets.nth(0)).toContainText("Stalls, row A, seat 4");
  await expect(tickets.nth(0).getByTestId("ticket-type")).toContainText("Adult");
  await expect(tickets.nth(0)).toContainText("€40.00");
  await expect(tickets.nth(1).getByTestId("ticket-type")).toContainText("Child");
  await expect(tickets.nth(1)).toContainText("€20.00");
  await shop.screenshot({ path: `${SCREENS}/ticket-types-booking.png`, fullPage: true });
  const reference = new URL(shop.url()).pathname.split("/").pop()!;
  await shop.goto(`/bookings/${reference}/print`);
  await expect(shop.locator("body")).toContainText("Adult · €40.00");
  await expect(shop.locator("body")).toContainText("Child · €20.00");
  await context.close();

  // The organizer's dashboard counts sales per type.
  await page.goto(`/admin/events/${event.id}`);
  await expect(page.getByTestId("type-row-Adult")).toContainText("1");
  await expect(page.getByTestId("type-row-Child")).toContainText("€20.00");
  await page.screenshot({ path: `${SCREENS}/ticket-types-dashboard.png`, fullPage: true });

  // The box office: one order, a type per seat (the second seat Child, the first the order's type).
  await page.goto(`/admin/events/${event.id}/box-office`);
  const desk = page.getByTestId("box-office-seats-form");
  for (const seq of [0, 1]) await clickSeat(page, seq);
  await desk.getByLabel("Type for Stalls, row A, seat 2").selectOption({ label: "Child (Stalls €20.00)" });
  const buyer = uniqueEmail("desk-types");
  await desk.getByLabel("Customer email").fill(buyer);
  await desk.getByLabel("Payment").selectOption("CASH");
  await desk.getByRole("button", { name: "Sell 2 seats" }).click();
  await expect(desk.getByTestId("box-office-outcome")).toContainText(`2 places for ${buyer} (new guest account), €60.00 cash.`);
  await page.screenshot({ path: `${SCREENS}/ticket-types-box-office.png`, fullPage: true });
  expect(await seriousA11yViolations(page)).toEqual([]);
});
