import type { Page } from "@playwright/test";
import { clickSeat, expect, SCREENS, seats, signInPage, test } from "./fixtures";
import { typeCard } from "./support/checkout";

// The strict, nonce-based Content-Security-Policy must not break the site: the home page, an
// event page with the canvas seat map (hold a seat), checkout (pay with a test card), sign-in
// (a server action) and the API docs (Swagger UI) all work, and the browser reports no CSP
// violation. Both the console ("Refused to …") and securitypolicyviolation events count.

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on("console", (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame|evaluate|create)/i.test(text)) fromConsole.push(text);
  });
  // Init scripts are injected by the browser driver, outside the page's CSP.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations!.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return async () => {
    const inPage = await page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
    return [...fromConsole, ...inPage];
  };
}

/** Loaded, plus a moment for late scripts and styles (pages that poll never go network-idle). */
async function settle(page: Page) {
  await page.waitForLoadState("load");
  await page.waitForTimeout(500);
}

function expectNonceCsp(csp: string | null) {
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-eval");
}

test("home page renders and hydrates under the CSP", async ({ page }) => {
  const violations = await watchCsp(page);
  const res = await page.goto("/");
  expectNonceCsp(res!.headers()["content-security-policy"]);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  // React's flight data arrives in nonce-carrying inline scripts: they ran.
  await page.waitForFunction(() => Array.isArray((self as unknown as { __next_f?: unknown[] }).__next_f));
  await settle(page);
  expect(await violations()).toEqual([]);
});

test("the seat map works: pick a seat, hold it, pay for it", async ({ page, customer, makeEvent }) => {
  const violations = await watchCsp(page);
  await signInPage(page, customer.email);
  const { event } = await makeEvent({ title: "CSP seat map", sections: [seats(2, 8, 3000, "Stalls")] });
  const res = await page.goto(`/events/${event.id}`);
  expectNonceCsp(res!.headers()["content-security-policy"]);
  await expect(page.getByTestId("seat-map")).toBeVisible();
  await clickSeat(page, 3);
  await expect(page.getByTestId("selected-items").getByRole("listitem")).toHaveCount(1);
  await page.getByRole("button", { name: "Reserve 1 seat" }).click();
  await expect(page.getByTestId("hold-panel")).toBeVisible();

  await page.getByTestId("checkout-link").click();
  await expect(page.getByRole("heading", { name: "Checkout", level: 1 })).toBeVisible();
  await typeCard(page);
  await page.getByRole("button", { name: "Pay €30.00" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/);
  await settle(page);
  expect(await violations()).toEqual([]);
});

test("sign-in page and its server action work under the CSP", async ({ page, customer }) => {
  const violations = await watchCsp(page);
  const res = await page.goto("/login");
  expectNonceCsp(res!.headers()["content-security-policy"]);
  await signInPage(page, customer.email);
  await settle(page);
  expect(await violations()).toEqual([]);
});

test("the API docs (Swagger UI from our own origin) render under the CSP", async ({ page }) => {
  const violations = await watchCsp(page);
  const res = await page.goto("/api/docs");
  expectNonceCsp(res!.headers()["content-security-policy"]);
  await expect(page.locator(".swagger-ui .info .title")).toContainText("Tessera API");
  await expect(page.locator(".opblock-tag-section").first()).toBeVisible();
  await page.getByText("/auth/login", { exact: true }).first().click();
  await expect(page.getByText("Exchange email and password for a bearer token").first()).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/api-docs.png`, fullPage: false });
  expect(await violations()).toEqual([]);
});
