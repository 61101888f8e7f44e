import { expect, SCREENS, seatPoint, seats, signInPage, test } from "./fixtures";

// The storefront on a phone: single-column pages without sideways scrolling, seats picked by
// tapping the map, a bottom bar leading to the basket, and checkout.

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

const noSideScroll = (page: import("@playwright/test").Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test("browse, tap seats, hold and reach checkout on a phone", async ({ page, customer, makeEvent }) => {
  const { event } = await makeEvent({ title: "Phone gig", sections: [seats(4, 12, 3000, "Floor")] });
  await signInPage(page, customer.email);
  await page.goto(`/?q=Phone gig`);
  await expect(page.getByTestId("event-card").first()).toBeVisible();
  expect(await noSideScroll(page)).toBe(true);
  await page.screenshot({ path: `${SCREENS}/phone-list.png`, fullPage: true });

  await page.goto(`/events/${event.id}`);
  const p = await seatPoint(page, 5);
  await page.touchscreen.tap(p.x, p.y);
  await expect(page.getByTestId("selected-items")).toContainText("Floor, row A, seat 6");
  expect(await noSideScroll(page)).toBe(true);
  await page.screenshot({ path: `${SCREENS}/phone-event.png` });

  // Two fingers spread: the map zooms. One finger drags: it pans, and selects nothing.
  const view = () => page.evaluate(() => window.__tesseraSeatMap!.view()!);
  const box = (await page.getByTestId("seat-map").boundingBox())!;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  const cdp = await page.context().newCDPSession(page);
  const touch = (type: string, points: [number, number][]) =>
    cdp.send("Input.dispatchTouchEvent", { type: type as "touchStart", touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
  const before = await view();
  await touch("touchStart", [
    [cx - 30, cy],
    [cx + 30, cy],
  ]);
  for (let i = 1; i <= 6; i++)
    await touch("touchMove", [
      [cx - 30 - i * 15, cy],
      [cx + 30 + i * 15, cy],
    ]);
  await touch("touchEnd", []);
  const zoomed = await view();
  expect(zoomed.scale).toBeGreaterThan(before.scale * 1.5);
  await touch("touchStart", [[cx, cy]]);
  for (let i = 1; i <= 6; i++) await touch("touchMove", [[cx + i * 10, cy + i * 5]]);
  await touch("touchEnd", []);
  const panned = await view();
  expect(panned.ox - zoomed.ox).toBeGreaterThan(40);
  expect(panned.oy - zoomed.oy).toBeGreaterThan(20);
  await expect(page.getByTestId("selected-items").getByRole("listitem")).toHaveCount(1);

  const bar = page.getByRole("link", { name: /1 seat selected/ });
  await expect(bar).toBeVisible();
  await bar.click();
  await page.getByRole("button", { name: "Reserve 1 seat" }).click();
  await expect(page.getByTestId("hold-panel")).toBeVisible();
  await expect(page.getByTestId("countdown")).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/phone-held.png` });
  await page.getByTestId("checkout-link").click();
  await expect(page.getByTestId("order-total")).toHaveText("€30.00");
  expect(await noSideScroll(page)).toBe(true);
  await page.screenshot({ path: `${SCREENS}/phone-checkout.png`, fullPage: true });
});
