import { expect, type Page } from "@playwright/test";
import { TEST_PASSWORD } from "./fixtures";

// Browser helpers for the Playwright suites.

/**
 * Signs in through the website's form as `email` (with TEST_PASSWORD). Sign-in fails closed when
 * its rate limiter cannot reach Redis in time (a busy 2-core machine): the page then says
 * "briefly unavailable" and a person would simply try again, so this does, up to three times.
 */
export async function signInPage(page: Page, email: string) {
  await page.goto("/login");
  const signedIn = page.getByTestId("account-link");
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await answered;
    await expect(signedIn.or(page.getByText("Sign-in is briefly unavailable"))).toBeVisible();
    if (await signedIn.isVisible()) break;
    await page.waitForTimeout(1000);
    if (await signedIn.isVisible()) break;
  }
  await expect(signedIn).toBeVisible();
}
