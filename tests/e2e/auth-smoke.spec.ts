import { expect, test } from "@playwright/test";

// Foundation smoke test: a new visitor registers, lands signed in, signs out, signs in again
// and sees their profile.
test("register, sign out, sign in and see the profile", async ({ page }) => {
  const email = `smoke-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;
  await page.goto("/register");
  await page.getByLabel("Name").fill("Smoke Tester");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email); // nothing typed is lost

  await page.getByLabel("Password").fill("smoke-test-pass-1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("account-link")).toHaveText("Smoke Tester");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#main").getByRole("alert")).toContainText("do not match");

  await page.getByLabel("Password").fill("smoke-test-pass-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account$/);
  // A new account has not confirmed its address yet (the link is in the welcome email).
  await expect(page.getByTestId("profile-email")).toHaveText(`${email} not confirmed yet`);
  await expect(page.getByTestId("profile-role")).toHaveText("customer");
  await page.screenshot({ path: "test-results/screens/profile.png", fullPage: true });
});
