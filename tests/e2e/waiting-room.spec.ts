import type { Browser, Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { db } from "@/db";
import { events } from "@/db/schema";
import { signInPage } from "@/tests/helpers/browser";
import { createTestEvent, createUser } from "@/tests/helpers/fixtures";
import { testIp } from "@/tests/helpers/sign-in";
import { expect, ga, SCREENS, seriousA11yViolations, test } from "./fixtures";

// The waiting room in a real browser: the event page sends a visitor without a pass to the
// queue; the queue page shows the position, a progress bar and an estimate, updates itself,
// keeps the place over a reload, lets the visitor in when it is their turn and the hold then
// works with the pass cookie. The organizer switches the room on from the event dashboard,
// watches the line and pauses admission, which the waiting visitor sees.

async function openRoom(eventId: string, admitPerMinute: number) {
  await db()
    .update(events)
    .set({ waitingRoom: true, admitPerMinute, saleStartsAt: new Date(Date.now() - 60_000) })
    .where(eq(events.id, eventId));
}

/** Other people in line ahead (through the public API, as their browsers would). */
async function fillLine(baseURL: string, eventId: string, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${baseURL}/api/v1/events/${eventId}/queue`, { method: "POST", headers: { "x-forwarded-for": testIp() } });
    expect(res.status).toBe(200);
  }
}

async function position(page: Page): Promise<number> {
  const text = await page.getByTestId("queue-position").innerText();
  return Number(text.replace(/[^\d]/g, ""));
}

test("no pass → the queue; position, progress and estimate update; reload keeps the place; admitted → hold", async ({ shopper: page, makeEvent, baseURL }) => {
  test.setTimeout(120_000);
  const { event } = await makeEvent({ title: "Queue night", sections: [ga(20, 1500, "Floor")] });
  await openRoom(event.id, 30); // one every 2 s; the first 5 pass straight through (burst)
  await fillLine(baseURL!, event.id, 9);

  await page.goto(`/events/${event.id}`);
  await expect(page).toHaveURL(new RegExp(`/queue/${event.id}$`));
  await expect(page.getByRole("heading", { name: "Queue night" })).toBeVisible();
  await expect(page.getByTestId("queue-position")).toBeVisible();
  const first = await position(page);
  expect(first).toBeGreaterThan(1);
  await expect(page.getByRole("progressbar", { name: "Progress through the line" })).toBeVisible();
  await expect(page.getByTestId("queue-wait")).toContainText("Estimated wait");
  await page.screenshot({ path: `${SCREENS}/waiting-room.png`, fullPage: true });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Reload (or a closed tab, same cookie): the same place, or further ahead — never behind.
  await page.reload();
  await expect(page.getByTestId("queue-position").or(page.getByTestId("queue-admitted"))).toBeVisible();
  if (await page.getByTestId("queue-position").isVisible()) {
    const now = await position(page);
    expect(now).toBeLessThanOrEqual(first);
    // It updates by itself, without a reload: the number goes down (or it is already our turn).
    await expect.poll(async () => ((await page.getByTestId("queue-admitted").isVisible()) ? 0 : position(page)), { timeout: 8_000 }).toBeLessThan(now);
  }

  // The page updates by itself, lets the visitor in, and goes to the event page.
  await expect(page.getByTestId("queue-admitted")).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(new RegExp(`/events/${event.id}$`), { timeout: 15_000 });
  const floor = page.getByTestId("ga-Floor");
  await floor.getByLabel("Tickets").selectOption("2");
  await floor.getByRole("button", { name: "Reserve" }).click();
  await expect(page.getByTestId("held-items").getByRole("listitem")).toHaveCount(2);
});

async function organizerPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, extraHTTPHeaders: { "x-forwarded-for": testIp() } });
  const page = await context.newPage();
  await signInPage(page, email);
  return page;
}

test("the organizer switches the room on, watches the line and pauses admission; the visitor sees the pause", async ({ browser, page: visitor, baseURL }) => {
  test.setTimeout(120_000);
  const organizer = await createUser("ORGANIZER", { name: "Quinn Queue" });
  const { event } = await createTestEvent({ organizer, title: "Big on-sale", sections: [ga(50, 2000, "Floor")] });
  const admin = await organizerPage(browser, organizer.email);

  await admin.goto(`/admin/events/${event.id}`);
  const panel = admin.getByTestId("waiting-room-panel");
  await expect(panel.getByTestId("waiting-room-state")).toHaveText("Off");
  await panel.getByLabel("Send visitors through a waiting room before they can hold seats").check();
  await panel.getByLabel("Admit per minute").fill("6");
  await panel.getByLabel("Session length (minutes)").fill("10");
  await panel.getByRole("button", { name: "Save waiting room" }).click();
  await expect(panel.getByText("Waiting room settings saved.")).toBeVisible();
  await expect(panel.getByTestId("waiting-room-state")).toHaveText("On · admitting 6 per minute");

  await fillLine(baseURL!, event.id, 12); // admission starts from zero when the room is switched on: all wait
  await visitor.goto(`/queue/${event.id}`);
  await expect(visitor.getByTestId("queue-position")).toBeVisible();
  await expect(panel.getByTestId("wr-waiting")).toHaveText(/^1[1-3]$/, { timeout: 10_000 }); // 12 + this visitor, less one let in every 10 s
  await expect(panel.getByTestId("wr-rate")).toHaveText("6/min");
  await expect(panel.getByTestId("wr-clear")).toHaveText("2 min");
  await admin.screenshot({ path: `${SCREENS}/waiting-room-dashboard.png`, fullPage: true });

  await panel.getByRole("button", { name: "Pause admission" }).click();
  await expect(panel.getByTestId("waiting-room-state")).toHaveText("On · admission paused");
  await expect(panel.getByTestId("wr-clear")).toHaveText("paused");
  await visitor.reload();
  await expect(visitor.getByTestId("queue-wait")).toContainText("Admission is paused");
  await panel.getByRole("button", { name: "Resume admission" }).click();
  await expect(panel.getByTestId("waiting-room-state")).toHaveText("On · admitting 6 per minute");
});
