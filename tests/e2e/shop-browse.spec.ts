import { createUser } from "@/tests/helpers/fixtures";
import { expect, ga, SCREENS, seats, seriousA11yViolations, test } from "./fixtures";
import { makeCancelled, makePast, sellOut, uniqueTag } from "./support/events";

// Browse: the events list with filters as links (state in the URL), search, pagination and
// the status badges. Every event here carries a unique tag, so searching for it shows only
// this test's events whatever else is in the database.

test("browse, filter and search events; sold-out, cancelled and past events say so", async ({ page, makeEvent }) => {
  const tag = uniqueTag("Brw");
  const organizer = await createUser("ORGANIZER");
  const onSale = await makeEvent({ organizer, title: `${tag} Opera gala`, sections: [seats(2, 5, 2500, "Stalls"), seats(1, 5, 6500, "Boxes")] });
  await makeEvent({ organizer, title: `${tag} Jazz later`, onSale: false });
  await makeEvent({ organizer, title: `${tag} Free picnic`, sections: [ga(50, 0, "Lawn")] });
  const past = await makeEvent({ organizer, title: `${tag} Old gala` });
  await makePast(past.event.id);
  const cancelled = await makeEvent({ organizer, title: `${tag} Magic show` });
  await makeCancelled(cancelled.event.id);
  const soldOut = await makeEvent({ organizer, title: `${tag} Tiny recital`, sections: [seats(1, 2)] });
  await sellOut(soldOut.event.id, await createUser());

  await page.goto("/");
  await page.getByLabel("Search events").fill(tag);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`\\?q=${tag}$`));
  const cards = page.getByTestId("event-card");
  const titles = () => cards.getByRole("heading").allTextContents();

  // Upcoming (the default): not the past or cancelled ones.
  await expect(cards).toHaveCount(4);
  expect((await titles()).sort()).toEqual([`${tag} Free picnic`, `${tag} Jazz later`, `${tag} Opera gala`, `${tag} Tiny recital`]);
  const opera = cards.filter({ hasText: "Opera gala" });
  await expect(opera.getByTestId("price-range")).toHaveText("€25.00 – €65.00");
  await expect(opera.getByTestId("status-badge")).toHaveText("On sale");
  await expect(cards.filter({ hasText: "Tiny recital" }).getByTestId("status-badge")).toHaveText("Sold out");
  await expect(cards.filter({ hasText: "Jazz later" }).getByTestId("status-badge")).toContainText("Sale opens");
  await expect(cards.filter({ hasText: "Free picnic" }).getByTestId("price-range")).toHaveText("Free");
  await page.screenshot({ path: `${SCREENS}/events-list.png`, fullPage: true });
  expect(await seriousA11yViolations(page)).toEqual([]);

  const filters = page.getByRole("navigation", { name: "Filter events" });
  await filters.getByRole("link", { name: "On sale" }).click();
  await expect(page).toHaveURL(new RegExp(`filter=on_sale&q=${tag}`));
  await expect(filters.getByRole("link", { name: "On sale" })).toHaveAttribute("aria-current", "page");
  await expect(cards).toHaveCount(2);
  expect((await titles()).sort()).toEqual([`${tag} Free picnic`, `${tag} Opera gala`]);

  await filters.getByRole("link", { name: "Free" }).click();
  await expect(page).toHaveURL(new RegExp(`filter=free&q=${tag}`));
  await expect.poll(titles).toEqual([`${tag} Free picnic`]);

  await filters.getByRole("link", { name: "Past" }).click();
  await expect.poll(titles).toEqual([`${tag} Old gala`]);
  await expect(cards.getByTestId("status-badge")).toHaveText("Past event");

  await filters.getByRole("link", { name: "All" }).click();
  await expect(cards).toHaveCount(6);
  await expect(cards.filter({ hasText: "Magic show" }).getByTestId("status-badge")).toHaveText("Cancelled");
  await expect(cards.filter({ hasText: "Magic show" }).getByTestId("price-range")).toContainText("Cancelled");

  // The state lives in the URL: a reload shows the same view; search keeps the filter.
  await page.reload();
  await expect(cards).toHaveCount(6);
  await page.getByLabel("Search events").fill(`${tag} O`);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/filter=all/);
  await expect.poll(titles).toEqual(expect.arrayContaining([`${tag} Old gala`, `${tag} Opera gala`]));
  await expect(cards).toHaveCount(2);

  // A card leads to its event page.
  await page.goto(`/?q=${tag}`);
  await cards.filter({ hasText: "Opera gala" }).getByRole("link").click();
  await expect(page).toHaveURL(`/events/${onSale.event.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${tag} Opera gala`);
});

test("paginates with links that keep the search", async ({ page, makeEvent }) => {
  const tag = uniqueTag("Pag");
  const organizer = await createUser("ORGANIZER");
  for (let i = 0; i < 14; i++) await makeEvent({ organizer, title: `${tag} Show ${String(i + 1).padStart(2, "0")}`, sections: [ga(5, 1000)] });
  await page.goto(`/?q=${tag}`);
  const cards = page.getByTestId("event-card");
  await expect(cards).toHaveCount(12);
  const pages = page.getByRole("navigation", { name: "Pages" });
  await expect(pages).toContainText("Page 1 of 2");
  await pages.getByRole("link", { name: /Next/ }).click();
  await expect(page).toHaveURL(new RegExp(`q=${tag}&page=2`));
  await expect(cards).toHaveCount(2);
  await pages.getByRole("link", { name: /Previous/ }).click();
  await expect(cards).toHaveCount(12);
});
