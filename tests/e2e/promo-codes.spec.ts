import { db } from "@/db";
import { promoCodes } from "@/db/schema";
import { createUser, uniqueEmail } from "@/tests/helpers/fixtures";
import { clickSeat, customerContext, expect, SCREENS, seats, seriousA11yViolations, signInPage, test } from "./fixtures";
import { typeCard } from "./support/checkout";

// Discount codes end to end (docs/promo-codes.md): an organizer creates a code on the event's
// Discount codes page; a customer holds two seats, is told why a wrong code does not work, applies
// the right one in the checkout's order summary (the total follows), pays the discounted amount
// and finds the code and the discount on the booking; the organizer sees the use counted.

test("an organizer creates a code; a customer applies it and pays the discounted total", async ({ page, browser, makeEvent }) => {
  const organizer = await createUser("ORGANIZER", { name: "Dora Discount" });
  const { event } = await makeEvent({ organizer, sections: [seats(2, 8, 4000, "Stalls")], title: "Friends night" });

  await signInPage(page, organizer.email);
  await page.goto(`/admin/events/${event.id}`);
  await page.getByRole("link", { name: "Discount codes" }).click();
  await expect(page.getByRole("heading", { name: "Discount codes", level: 1 })).toBeVisible();
  const add = page.getByTestId("new-promo-code-form");
  await add.getByLabel("Code").fill("FRIENDS25");
  await add.getByLabel("Amount (percent, or money for a fixed amount)").fill("25");
  await add.getByLabel("Uses in total (empty: no limit)").fill("10");
  await add.getByRole("button", { name: "Create code" }).click();
  await expect(page.getByTestId("promo-code-FRIENDS25")).toContainText("25% off each seat");
  await expect(page.getByTestId("promo-code-FRIENDS25")).toContainText("0 used of 10");
  // The same code in another case is refused next to the field, nothing lost.
  await add.getByLabel("Code").fill("friends25");
  await add.getByLabel("Amount (percent, or money for a fixed amount)").fill("10");
  await add.getByRole("button", { name: "Create code" }).click();
  await expect(add.getByText("Already used for this event")).toBeVisible();
  await expect(add.getByLabel("Code")).toHaveValue("friends25");
  await page.screenshot({ path: `${SCREENS}/promo-codes-admin.png`, fullPage: true });
  expect(await seriousA11yViolations(page)).toEqual([]);

  const { context, page: shop } = await customerContext(browser);
  await shop.goto(`/events/${event.id}`);
  const finder = shop.getByRole("form", { name: "Best available seats together" });
  await finder.getByLabel("Seats").selectOption("2");
  await finder.getByRole("button", { name: "Find seats" }).click();
  await shop.getByRole("button", { name: "Reserve 2 seats" }).click();
  await shop.getByTestId("checkout-link").click();
  await expect(shop).toHaveURL(/\/checkout\/[0-9a-f-]{36}$/);
  await expect(shop.getByTestId("order-total")).toHaveText("€80.00");

  const box = shop.getByTestId("promo-form");
  await box.getByLabel("Discount code").fill("NOSUCH");
  await box.getByRole("button", { name: "Apply" }).click();
  await expect(shop.getByTestId("promo-error")).toContainText("We do not know the code NOSUCH for this event");
  await box.getByLabel("Discount code").fill("friends25");
  await box.getByRole("button", { name: "Apply" }).click();
  await expect(shop.getByTestId("promo-discount")).toHaveText("−€20.00");
  await expect(shop.getByTestId("order-total")).toHaveText("€60.00");
  // Removing the code and applying it again: each time the server prices the order and the
  // summary and the pay button show its answer.
  await shop.getByRole("button", { name: "Remove code" }).click();
  await expect(shop.getByTestId("order-total")).toHaveText("€80.00");
  await expect(shop.getByRole("button", { name: "Pay €80.00" })).toBeVisible();
  await box.getByLabel("Discount code").fill("FRIENDS25");
  await box.getByRole("button", { name: "Apply" }).click();
  await expect(shop.getByTestId("order-total")).toHaveText("€60.00");
  await shop.screenshot({ path: `${SCREENS}/promo-codes-checkout.png`, fullPage: true });
  expect(await seriousA11yViolations(shop)).toEqual([]);
  await typeCard(shop);
  const shown = (await shop.getByTestId("order-total").textContent())!;
  expect(shown).toBe("€60.00");
  await shop.getByRole("button", { name: `Pay ${shown}` }).click();

  await expect(shop).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/);
  await expect(shop.getByTestId("booking-status")).toHaveText("Confirmed");
  await expect(shop.getByTestId("booking-promo")).toContainText("FRIENDS25");
  await expect(shop.getByTestId("booking-promo")).toContainText("€20.00 off");
  // What the summary showed is what was charged.
  await expect(shop.locator("dd").filter({ hasText: "booked" })).toContainText(shown);
  await shop.screenshot({ path: `${SCREENS}/promo-codes-booking.png`, fullPage: true });
  await context.close();

  await page.goto(`/admin/events/${event.id}/promo-codes`);
  await expect(page.getByTestId("promo-code-FRIENDS25")).toContainText("1 used of 10");
  await expect(page.getByTestId("promo-code-FRIENDS25")).toContainText("€20.00 given");
  // The event dashboard counts it too (and keeps counting on every live refresh).
  await page.goto(`/admin/events/${event.id}`);
  const row = page.getByTestId("code-row-FRIENDS25");
  await expect(row.getByTestId("code-bookings")).toHaveText("1 / 10");
  await expect(row.getByTestId("code-pending")).toHaveText("0");
  await expect(row.getByTestId("code-discount")).toHaveText("€20.00");
  await expect(row.getByTestId("code-unlocked")).toHaveText("—");
  await page.screenshot({ path: `${SCREENS}/promo-codes-dashboard.png`, fullPage: true });

  // At the box office the same code, the same rules: 25% off a €40.00 seat, counted as a use.
  await page.goto(`/admin/events/${event.id}/box-office`);
  const desk = page.getByTestId("box-office-seats-form");
  await clickSeat(page, 0);
  await desk.getByLabel("Customer email").fill(uniqueEmail("desk-code"));
  await desk.getByLabel("Payment").selectOption("CASH");
  await desk.getByLabel(/^Discount code/).fill("nosuch");
  await desk.getByRole("button", { name: "Sell 1 seat" }).click();
  await expect(desk.getByTestId("box-office-outcome")).toContainText("We do not know the code NOSUCH for this event");
  // What was typed stays after the refusal (the seat stays selected): only the code is changed.
  await expect(desk.getByLabel("Customer email")).toHaveValue(/^desk-code/);
  await expect(desk.getByLabel("Payment")).toHaveValue("CASH");
  await expect(desk.getByLabel(/^Discount code/)).toHaveValue("nosuch");
  await desk.getByLabel(/^Discount code/).fill("friends25");
  await desk.getByRole("button", { name: "Sell 1 seat" }).click();
  await expect(desk.getByTestId("box-office-outcome")).toContainText("€30.00 cash. Code FRIENDS25: €10.00 off.");
  await page.goto(`/admin/events/${event.id}/promo-codes`);
  await expect(page.getByTestId("promo-code-FRIENDS25")).toContainText("2 used of 10");
});

test("a customer enters a presale access code and holds seats before the public sale", async ({ shopper: page, makeEvent }) => {
  const organizer = await createUser("ORGANIZER", { name: "Pia Presale" });
  const { event } = await makeEvent({ organizer, sections: [seats(2, 8, 3000, "Stalls")], title: "Fan club night", onSale: false });
  await db().insert(promoCodes).values({ eventId: event.id, code: "FANS", kind: "ACCESS", amount: 0 });

  await page.goto(`/events/${event.id}`);
  await expect(page.getByTestId("sale-notice")).toContainText("Tickets are not on sale yet");
  const form = page.getByTestId("access-code-form");
  await form.getByLabel("Have an access code for the presale?").fill("wrong");
  await form.getByRole("button", { name: "Unlock presale" }).click();
  await expect(form.getByText("Unknown access code for this event")).toBeVisible();
  await form.getByLabel("Have an access code for the presale?").fill("fans");
  await form.getByRole("button", { name: "Unlock presale" }).click();
  await expect(page.getByTestId("sale-notice")).toContainText("Presale: your access code FANS lets you buy now");
  const finder = page.getByRole("form", { name: "Best available seats together" });
  await finder.getByLabel("Seats").selectOption("2");
  await finder.getByRole("button", { name: "Find seats" }).click();
  await page.getByRole("button", { name: "Reserve 2 seats" }).click();
  await expect(page.getByTestId("checkout-link")).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/promo-codes-presale.png`, fullPage: true });
  expect(await seriousA11yViolations(page)).toEqual([]);
});

test("an organizer hides a section for access-code holders; a customer enters the code, sees it, holds a seat in it and pays", async ({
  page,
  browser,
  makeEvent,
}) => {
  const organizer = await createUser("ORGANIZER", { name: "Hana Hidden" });
  const circle = seats(1, 6, 9000, "Patrons circle");
  if (circle.kind === "ASSIGNED") circle.layout.offsetY = 5; // drawn behind the stalls
  const { event } = await makeEvent({
    organizer,
    sections: [seats(2, 8, 3000, "Stalls"), circle],
    title: "Patrons night",
    draft: true,
  });

  // The organizer hides the second section on the draft's section form, publishes, and makes a code for it.
  await signInPage(page, organizer.email);
  await page.goto(`/admin/events/${event.id}/edit`);
  await page.getByRole("group", { name: "Section 2" }).getByLabel("Hidden: only customers with an access code for this section see it").check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Published: customers can now see this event.")).toBeVisible();
  await page.getByRole("link", { name: "Discount codes" }).click();
  const add = page.getByTestId("new-promo-code-form");
  await add.getByLabel("Code").fill("PATRONS");
  await add.getByLabel("Discount", { exact: true }).selectOption("ACCESS");
  await add.getByLabel("Patrons circle").check();
  await add.getByRole("button", { name: "Create code" }).click();
  await expect(page.getByTestId("promo-code-PATRONS")).toContainText("only Patrons circle");

  // A customer: no Patrons circle anywhere until the code is entered.
  const { context, page: shop } = await customerContext(browser);
  await shop.goto(`/events/${event.id}`);
  const finder = shop.getByRole("form", { name: "Best available seats together" });
  await expect(finder.getByLabel("Section")).toBeVisible();
  await expect(finder.getByLabel("Section").locator("option")).toHaveText(["Stalls — €30.00"]);
  await expect(shop.getByText("Patrons circle")).toHaveCount(0);
  await shop.screenshot({ path: `${SCREENS}/hidden-section-before.png`, fullPage: true });
  const form = shop.getByTestId("access-code-form");
  await form.getByLabel("Have an access code?").fill("patrons");
  await form.getByRole("button", { name: "Unlock" }).click();
  await expect(finder.getByLabel("Section").locator("option")).toHaveText(["Stalls — €30.00", "Patrons circle — €90.00"]);
  await finder.getByLabel("Section").selectOption({ label: "Patrons circle — €90.00" });
  await finder.getByLabel("Seats").selectOption("1");
  await finder.getByRole("button", { name: "Find seats" }).click();
  await shop.getByRole("button", { name: "Reserve 1 seat" }).click();
  await expect(shop.getByTestId("checkout-link")).toBeVisible();
  await shop.screenshot({ path: `${SCREENS}/hidden-section-after.png`, fullPage: true });
  expect(await seriousA11yViolations(shop)).toEqual([]);
  await shop.getByTestId("checkout-link").click();
  await expect(shop.getByTestId("order-total")).toHaveText("€90.00");
  await typeCard(shop);
  await shop.getByRole("button", { name: "Pay €90.00" }).click();
  await expect(shop).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/);
  await expect(shop.getByTestId("booking-status")).toHaveText("Confirmed");
  await expect(shop.getByText("Patrons circle").first()).toBeVisible();
  await shop.screenshot({ path: `${SCREENS}/hidden-section-booking.png`, fullPage: true });
  await context.close();

  // The organizer's dashboard counts the code: one customer unlocked, one booking.
  await page.goto(`/admin/events/${event.id}`);
  await expect(page.getByTestId("code-row-PATRONS").getByTestId("code-unlocked")).toHaveText("1");
  await expect(page.getByTestId("code-row-PATRONS").getByTestId("code-bookings")).toHaveText("1");
});
