import { createUser } from "@/tests/helpers/fixtures";
import { clickSeat, expect, SCREENS, signInPage, test } from "./fixtures";

// House seats and wheelchair spaces end to end: the organizer keeps seats off sale on the map,
// the customer sees them as not on sale, finds the wheelchair spaces with the filter and best
// available, and the organizer puts the seats back on sale.

const stalls = {
  kind: "ASSIGNED" as const,
  name: "Stalls",
  priceMinor: 3000,
  layout: {
    rows: 3,
    seatsPerRow: 10,
    rowLabels: "letters" as const,
    numbering: "ltr" as const,
    aisles: [],
    curve: 0,
    offsetX: 0,
    offsetY: 0,
    wheelchair: ["C:1", "C:2"],
    companion: ["C:3"],
  },
};

test("an organizer keeps seats off sale, customers see them as not on sale and find the wheelchair spaces", async ({ page, browser, makeEvent }) => {
  const organizer = await createUser("ORGANIZER", { name: "Olga Organizer" });
  const { event } = await makeEvent({ organizer, sections: [stalls], title: "House seats night" });

  await signInPage(page, organizer.email);
  await page.goto(`/admin/events/${event.id}`);
  await page.getByRole("link", { name: "House seats" }).click();
  await expect(page.getByRole("heading", { name: "House seats" })).toBeVisible();
  // Row A, seats 5–7 (seq 4, 5, 6) for the press.
  for (const seq of [4, 5, 6]) await clickSeat(page, seq);
  await expect(page.getByTestId("house-selection")).toContainText("3 selected: Stalls, row A, seat 5; Stalls, row A, seat 6; Stalls, row A, seat 7");
  await page.getByLabel("Reason").first().selectOption("Press");
  await page.getByRole("button", { name: "Keep off sale" }).click();
  await expect(page.getByTestId("house-outcome")).toHaveText("3 seats kept off sale (Press).");
  await expect(page.getByTestId("blocks-table")).toContainText("Press");
  await expect(page.getByTestId("blocks-table")).toContainText("A5, A6, A7");
  await expect(page.getByTestId("house-totals")).toContainText("3 of 30 places off sale");
  await page.screenshot({ path: `${SCREENS}/house-seats-organizer.png`, fullPage: true });

  // The dashboard counts them.
  await page.goto(`/admin/events/${event.id}`);
  await expect(page.getByTestId("stat-blocked")).toHaveText("3");

  // A customer sees them as not on sale, and finds the wheelchair spaces.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const shopper = await context.newPage();
  await shopper.goto(`/events/${event.id}`);
  await clickSeat(shopper, 5);
  await expect(shopper.getByTestId("shop-message")).toHaveText("Stalls, row A, seat 6 — €30.00 — not on sale: not available.");
  await expect(shopper.getByRole("list", { name: "Seat states" })).toContainText("Wheelchair space");
  await shopper.getByTestId("accessible-filter").check();
  await shopper.getByText("Choose seats from a list instead").click();
  const list = shopper.getByTestId("seat-list");
  await expect(list.getByRole("combobox", { name: "Row" })).toHaveValue(/.+/);
  await expect(list.getByRole("checkbox")).toHaveCount(3);
  await expect(list).toContainText("wheelchair space");
  await expect(list).toContainText("companion seat");
  await shopper.getByLabel("Seat type").selectOption("accessible");
  await shopper.getByLabel("Seats", { exact: true }).selectOption("3");
  await shopper.getByRole("button", { name: "Find seats" }).click();
  await expect(shopper.getByTestId("shop-message")).toContainText(
    "Found 3 seats together: Stalls, row C, seat 1; Stalls, row C, seat 2; Stalls, row C, seat 3.",
  );
  await shopper.screenshot({ path: `${SCREENS}/house-seats-customer-accessible.png`, fullPage: true });
  // Standard seats skip them: the best free pair is in front, in row A.
  await shopper.getByLabel("Seat type").selectOption("standard");
  await shopper.getByLabel("Seats", { exact: true }).selectOption("2");
  await shopper.getByRole("button", { name: "Find seats" }).click();
  await expect(shopper.getByTestId("shop-message")).toContainText("Found 2 seats together: Stalls, row A");
  await context.close();

  // Back on sale.
  await page.goto(`/admin/events/${event.id}/seats`);
  await page.getByRole("button", { name: "Select every seat off sale" }).click();
  await page.getByRole("button", { name: "Put back on sale" }).click();
  await expect(page.getByTestId("house-outcome")).toHaveText("3 seats back on sale.");
  await expect(page.getByText("Nothing is kept off sale.")).toBeVisible();
});
