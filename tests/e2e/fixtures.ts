import { spawnSync } from "node:child_process";
import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { eq, sql as dsql } from "drizzle-orm";
import { db } from "@/db";
import { events, type User } from "@/db/schema";
import { signInPage } from "@/tests/helpers/browser";
import { createTestEvent, createUser, ga, seats } from "@/tests/helpers/fixtures";
import { testIp } from "@/tests/helpers/sign-in";

// Storefront end-to-end fixtures. Each test makes its own users and events straight in the
// database through the same lib/ code the app uses (tests/helpers/fixtures.ts), so tests run in
// parallel without seeing each other. Each browser context gets its own X-Forwarded-For, as
// separate customers would have, so the per-IP sign-in limits do not couple the tests.

export { expect, ga, seats, signInPage };
export type TestEvent = Awaited<ReturnType<typeof createTestEvent>>;

export const SCREENS = "test-results/screens";
fs.mkdirSync(SCREENS, { recursive: true });

/** A second customer in their own browser context (own cookies, own IP). */
export async function customerContext(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; user: User }> {
  const context = await browser.newContext({ viewport, extraHTTPHeaders: { "x-forwarded-for": testIp() } });
  const page = await context.newPage();
  const user = await createUser("CUSTOMER", { name: "Second Customer" });
  await signInPage(page, user.email);
  return { context, page, user };
}

/** Serious or critical axe violations on the current page (an empty list passes). */
export async function seriousA11yViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}

/** Screen position of a seat on the canvas (the seat map exposes its view for tests). */
export async function seatPoint(page: Page, seq: number) {
  await page.waitForFunction(() => window.__tesseraSeatMap !== undefined);
  await page.getByTestId("seat-map").scrollIntoViewIfNeeded();
  const p = await page.evaluate((s) => window.__tesseraSeatMap!.point(s), seq);
  if (!p) throw new Error(`seat ${seq} is not on the map`);
  return p;
}

export async function clickSeat(page: Page, seq: number) {
  const p = await seatPoint(page, seq);
  await page.mouse.click(p.x, p.y);
}

export async function setHoldSeconds(eventId: string, seconds: number) {
  await db().update(events).set({ holdSeconds: seconds }).where(eq(events.id, eventId));
}

export async function countBookings(reservationId: string): Promise<number> {
  const [row] = await db().execute<{ n: number }>(dsql`select count(*)::int as n from bookings where reservation_id = ${reservationId}`);
  return row.n;
}

function ensureStadium(): string {
  const r = spawnSync("npx", ["tsx", "--conditions=react-server", "tests/e2e/support/stadium.ts"], { encoding: "utf8", env: process.env, timeout: 120_000 });
  const id = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !/^[0-9a-f-]{36}$/.test(id)) throw new Error(`seeding the stadium failed:\n${r.stdout}\n${r.stderr}`);
  return id;
}

type Fixtures = {
  customer: User;
  shopper: Page; // `page`, signed in as `customer`
  makeEvent: (opts?: Parameters<typeof createTestEvent>[0]) => Promise<TestEvent>;
};

// Playwright hands each fixture a callback that provides its value to the test (its docs call
// it `use`; named `provide` here, as it is no React hook).
export const test = base.extend<Fixtures, { stadiumId: string }>({
  extraHTTPHeaders: async ({}, provide) => provide({ "x-forwarded-for": testIp() }),
  customer: async ({}, provide) => provide(await createUser("CUSTOMER", { name: "Casey Customer" })),
  shopper: async ({ page, customer }, provide) => {
    await signInPage(page, customer.email);
    await provide(page);
  },
  makeEvent: async ({}, provide) => provide((opts) => createTestEvent(opts)),
  // The seeded 20,000-seat "Stadium Summer Concert" (seeded once, under a lock, if missing).
  stadiumId: [async ({}, provide) => provide(ensureStadium()), { scope: "worker" }],
});
