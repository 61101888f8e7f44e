import { signInPage as adminSignIn } from "@/tests/helpers/browser";
import { createUser } from "@/tests/helpers/fixtures";
import { expect, SCREENS, test } from "./fixtures";
import { uniqueTag } from "./support/events";

// A run of dates end to end: the organizer copies an event to three more dates and publishes
// them; customers see the show once in the list, with its number of dates, and every date on
// the event page.

test("an organizer adds three dates to a show; the site lists it once and shows all dates", async ({ page, browser, makeEvent }) => {
  const organizer = await createUser("ORGANIZER", { name: "Sam Series" });
  const title = uniqueTag("Long run ");
  const { event } = await makeEvent({ organizer, title });

  await adminSignIn(page, organizer.email);
  await page.goto(`/admin/events/${event.id}`);
  await page.getByRole("link", { name: "Dates" }).click();
  await expect(page.getByRole("heading", { name: "Dates", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Date 3")).not.toHaveValue("");
  await page.getByLabel("Publish them now").check();
  await page.getByRole("button", { name: "Create 3 dates" }).click();
  await expect(page.getByTestId("run-outcome")).toHaveText("3 dates added and published.");
  await expect(page.getByTestId("series-dates-list").getByRole("listitem")).toHaveCount(4);
  await page.screenshot({ path: `${SCREENS}/series-organizer.png`, fullPage: true });

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const visitor = await context.newPage();
  await visitor.goto(`/?q=${encodeURIComponent(title)}`);
  const cards = visitor.getByTestId("event-card");
  await expect(cards).toHaveCount(1);
  await expect(cards.first().getByTestId("series-dates")).toHaveText("4 dates");
  await cards.first().getByRole("link", { name: title }).click();
  const nav = visitor.getByTestId("series-nav");
  await expect(nav.getByRole("listitem")).toHaveCount(4);
  await visitor.screenshot({ path: `${SCREENS}/series-event-page.png`, fullPage: true });
  await nav.getByRole("link").nth(1).click();
  await expect(visitor.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await context.close();
});
