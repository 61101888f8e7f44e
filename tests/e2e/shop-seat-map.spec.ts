import { clickSeat, expect, SCREENS, seatPoint, seats, seriousA11yViolations, test } from "./fixtures";

// Picking seats on the canvas seat map: with the mouse, with the keyboard, with "best
// available" and with the list alternative; holding them and releasing the hold.

test("pick seats with the mouse, hold them, see the hold after a reload, release it", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Mouse picking", sections: [seats(3, 10, 2500, "Stalls")] });
  await page.goto(`/events/${event.id}`);
  await expect(page.getByTestId("seat-map")).toBeVisible();
  const selected = page.getByTestId("selected-items");

  await clickSeat(page, 4); // row A, seat 5
  await clickSeat(page, 5); // row A, seat 6
  await expect(selected.getByRole("listitem")).toHaveCount(2);
  await expect(selected).toContainText("Stalls, row A, seat 5");
  await expect(selected).toContainText("Stalls, row A, seat 6");
  await clickSeat(page, 5); // a second click deselects
  await expect(selected.getByRole("listitem")).toHaveCount(1);
  await expect(page.getByTestId("selection-panel")).toContainText("€25.00");
  await page.screenshot({ path: `${SCREENS}/event-selecting.png`, fullPage: true });

  // The wheel zooms around the pointer; a mouse drag pans without selecting.
  const view = () => page.evaluate(() => window.__tesseraSeatMap!.view()!);
  const before = await view();
  const a7 = await seatPoint(page, 6);
  await page.mouse.move(a7.x, a7.y);
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => (await view()).scale).toBeGreaterThan(before.scale);
  const zoomed = await view();
  await page.mouse.down();
  await page.mouse.move(a7.x + 40, a7.y + 30, { steps: 5 });
  await page.mouse.up();
  expect((await view()).ox).toBeCloseTo(zoomed.ox + 40, 0);
  await expect(selected.getByRole("listitem")).toHaveCount(1);
  await page.getByRole("button", { name: "Show the whole venue" }).click();
  expect((await view()).scale).toBeCloseTo(before.scale, 5);
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.getByRole("button", { name: "Reserve 1 seat" }).click();
  const hold = page.getByTestId("hold-panel");
  await expect(hold.getByTestId("held-items")).toHaveText("Stalls, row A, seat 5€25.00");
  await expect(page.getByTestId("countdown")).toHaveText(/^(10:00|9:[0-5]\d)$/);
  await expect(page.getByTestId("shop-message")).toContainText("Held 1 ticket for you");
  await page.screenshot({ path: `${SCREENS}/event-held.png`, fullPage: true });

  // The hold belongs to the customer, not to the page: a reload shows it again.
  await page.reload();
  await expect(hold.getByTestId("held-items")).toContainText("row A, seat 5");
  await hold.getByRole("button", { name: "Release seats" }).click();
  await expect(page.getByTestId("shop-message")).toContainText("Your seats were released");
  await expect(hold).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("hold-panel")).toHaveCount(0);
});

test("pick seats with the keyboard: arrows move, Enter and Space toggle", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Keyboard picking", sections: [seats(3, 10, 2500, "Stalls")] });
  await page.goto(`/events/${event.id}`);
  const caption = page.getByTestId("seat-map-caption");
  // Tab into the map backwards from its first zoom button: keyboard focus, focus cursor on A1.
  await page.getByRole("button", { name: "Zoom in" }).focus();
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByTestId("seat-map")).toBeFocused();
  await expect(caption).toHaveText("Stalls, row A, seat 1 — €25.00 — available");
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowDown");
  await expect(caption).toContainText("Stalls, row B, seat 5");
  await page.keyboard.press("Enter");
  await expect(caption).toHaveText("Stalls, row B, seat 5 — €25.00 — selected");
  await page.keyboard.press("Space");
  await expect(caption).toContainText("available");
  await page.keyboard.press("Space");
  await page.keyboard.press("End");
  await expect(caption).toContainText("row B, seat 10");
  await page.keyboard.press("Enter");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Home");
  await expect(caption).toContainText("row C, seat 1");
  const selected = page.getByTestId("selected-items");
  await expect(selected.getByRole("listitem")).toHaveText([/row B, seat 5/, /row B, seat 10/]);
  await page.screenshot({ path: `${SCREENS}/event-keyboard.png` });

  // Zoom from the keyboard, then reserve with the keyboard too.
  const scale = () => page.evaluate(() => window.__tesseraSeatMap!.view()!.scale);
  const before = await scale();
  await page.keyboard.press("+");
  expect(await scale()).toBeGreaterThan(before);
  await page.getByRole("button", { name: "Reserve 2 seats" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("held-items").getByRole("listitem")).toHaveCount(2);
});

test("best available finds seats together; the list alternative selects seats too", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Best available", sections: [seats(3, 10, 2500, "Stalls"), seats(2, 6, 4000, "Balcony")] });
  await page.goto(`/events/${event.id}`);
  const finder = page.getByRole("form", { name: "Best available seats together" });
  await finder.getByLabel("Section").selectOption({ label: "Stalls — €25.00" });
  await finder.getByLabel("Seats").selectOption("3");
  await finder.getByRole("button", { name: "Find seats" }).click();
  const selected = page.getByTestId("selected-items");
  await expect(selected.getByRole("listitem")).toHaveText([/row A, seat 4/, /row A, seat 5/, /row A, seat 6/]);
  await expect(page.getByTestId("shop-message")).toContainText("Found 3 seats together");

  const list = page.getByTestId("seat-list");
  await list.getByText("Choose seats from a list instead").click();
  await list.getByLabel("Section").selectOption({ label: "Balcony — €40.00" });
  await list.getByLabel("Row").selectOption({ label: "Row B (6 free)" });
  await list.getByRole("checkbox", { name: "Seat 2" }).check();
  await expect(selected.getByRole("listitem")).toHaveCount(4);
  await expect(selected).toContainText("Balcony, row B, seat 2");
  await expect(page.getByTestId("selection-panel")).toContainText("€115.00");
  await list.getByRole("checkbox", { name: "Seat 2" }).uncheck();
  await expect(selected.getByRole("listitem")).toHaveCount(3);
});

test("curved rows wrap around the stage: each row's ends are drawn nearer the stage than its middle", async ({ page, makeEvent }) => {
  const stalls = seats(6, 24, 2000, "Stalls");
  const circle = seats(4, 24, 1500, "Circle");
  if (stalls.kind !== "ASSIGNED" || circle.kind !== "ASSIGNED") throw new Error("assigned sections expected");
  Object.assign(stalls.layout, { curve: 0.5, aisles: [12] });
  Object.assign(circle.layout, { curve: 0.7, offsetY: 10 });
  const { event } = await makeEvent({ title: "Curved house", sections: [stalls, circle] });
  await page.goto(`/events/${event.id}`);
  await expect(page.getByTestId("seat-map")).toBeVisible();
  for (const rowStart of [0, 5 * 24, 6 * 24, 9 * 24]) {
    const [first, middle, last] = [await seatPoint(page, rowStart), await seatPoint(page, rowStart + 11), await seatPoint(page, rowStart + 23)];
    expect(first.y).toBeLessThan(middle.y - 2); // the stage is above the seats
    expect(last.y).toBeLessThan(middle.y - 2);
  }
  await page.screenshot({ path: `${SCREENS}/curved-rows.png` });
  await clickSeat(page, 0);
  await expect(page.getByTestId("selected-items")).toContainText("Stalls, row A, seat 1");
});
