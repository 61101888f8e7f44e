import { createUser, uniqueEmail } from "@/tests/helpers/fixtures";
import { expect, SCREENS, seriousA11yViolations, signInPage, test } from "./fixtures";
import { linkPath, mailTo, screenshotMail, waitForMail } from "./support/mail";

// Someone new signs up, confirms the address from the email, changes the password and the
// address on the account page, forgets the password and resets it — every step by email.

test.describe.configure({ timeout: 180_000 }); // each flow walks through several emails

test("sign up, confirm the address, change password and email, reset a forgotten password", async ({ page, browser }) => {
  const email = uniqueEmail("ada");
  await page.goto("/register");
  await page.getByLabel("Name").fill("Ada Newcomer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("first-pass-1");
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.getByTestId("account-link")).toBeVisible();

  const verify = await waitForMail(email, /Confirm your email address/);
  const mailView = await browser.newPage();
  await screenshotMail(mailView, verify, `${SCREENS}/email-verify.png`);
  await page.goto("/account");
  await expect(page.getByTestId("email-status")).toHaveText("not confirmed yet");
  await page.goto(linkPath(verify, "/verify-email"));
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page.getByRole("status")).toContainText("your email address is confirmed");
  await page.goto("/account");
  await expect(page.getByTestId("email-status")).toHaveText("confirmed");

  // Change password: a wrong current password is a field error; the right one works.
  const pw = page.getByRole("form", { name: "Change password" });
  await pw.getByLabel("Current password").fill("wrong-pass-1");
  await pw.getByLabel("New password", { exact: true }).fill("second-pass-2");
  await pw.getByLabel("New password again").fill("second-pass-2");
  await pw.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#currentPassword-error")).toHaveText("Your current password is not right");
  await pw.getByLabel("Current password").fill("first-pass-1");
  await pw.getByLabel("New password", { exact: true }).fill("second-pass-2");
  await pw.getByLabel("New password again").fill("second-pass-2");
  await pw.getByRole("button", { name: "Change password" }).click();
  await expect(pw.getByRole("status")).toContainText("Your password was changed");
  await expect(page.getByTestId("account-link")).toBeVisible(); // still signed in here
  await waitForMail(email, /password was changed/);

  // Change email: confirmed from the new address; the old one is told.
  const newEmail = uniqueEmail("ada-new");
  const em = page.getByRole("form", { name: "Change email address" });
  await em.getByLabel("New email address").fill(newEmail);
  await em.getByLabel("Current password").fill("second-pass-2");
  await em.getByRole("button", { name: "Change email" }).click();
  await expect(em.getByRole("status")).toContainText(`We sent a link to ${newEmail}`);
  await page.screenshot({ path: `${SCREENS}/account-settings.png`, fullPage: true });
  expect(await seriousA11yViolations(page)).toEqual([]);
  const confirmNew = await waitForMail(newEmail, /Confirm your new email address/);
  await page.goto(linkPath(confirmNew, "/verify-email"));
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page.getByRole("status")).toContainText(`Your email address is now ${newEmail}`);
  const notice = await waitForMail(email, /email address was changed/);
  expect(notice.text).toContain(newEmail);
  await screenshotMail(mailView, notice, `${SCREENS}/email-address-changed.png`);

  // Forgot the password: an unknown address gets the same answer and no mail.
  await page.context().clearCookies();
  const unknown = uniqueEmail("nobody");
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(unknown);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByRole("status")).toContainText(`If ${unknown} belongs to an account`);
  await page.getByLabel("Email").fill(newEmail);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByRole("status")).toContainText(`If ${newEmail} belongs to an account`);
  const reset = await waitForMail(newEmail, /Reset your Tessera password/);
  await screenshotMail(mailView, reset, `${SCREENS}/email-password-reset.png`);
  const resetLink = linkPath(reset, "/reset-password");
  await page.goto(resetLink);
  await page.getByLabel("New password", { exact: true }).fill("third-pass-3");
  await page.getByLabel("New password again").fill("third-pass-4");
  await page.getByRole("button", { name: "Save and sign in" }).click();
  await expect(page.locator("#confirmPassword-error")).toHaveText("The two passwords are not the same");
  await page.getByLabel("New password", { exact: true }).fill("third-pass-3");
  await page.getByLabel("New password again").fill("third-pass-3");
  await page.getByRole("button", { name: "Save and sign in" }).click();
  await expect(page).toHaveURL(/\/account\?reset=1/);
  await expect(page.getByTestId("profile-email")).toContainText(newEmail);
  // The link works once.
  await page.goto(resetLink);
  await expect(page.getByTestId("reset-link-invalid")).toBeVisible();
  expect(mailTo(unknown)).toEqual([]);
  await mailView.close();
});

test("the caught-mail page is development only: 404 in production", async ({ page }) => {
  const res = await page.goto("/dev/mail");
  expect(res?.status()).toBe(404);
});

test("a reset signs out every other session", async ({ browser, page }) => {
  const user = await createUser("CUSTOMER", { name: "Two Devices" });
  await signInPage(page, user.email);
  const second = await browser.newContext();
  const other = await second.newPage();
  await other.goto("/forgot-password");
  await other.getByLabel("Email").fill(user.email);
  await other.getByRole("button", { name: "Send me a link" }).click();
  const reset = await waitForMail(user.email, /Reset your Tessera password/);
  await other.goto(linkPath(reset, "/reset-password"));
  await other.getByLabel("New password", { exact: true }).fill("fresh-pass-9");
  await other.getByLabel("New password again").fill("fresh-pass-9");
  await other.getByRole("button", { name: "Save and sign in" }).click();
  await expect(other).toHaveURL(/\/account\?reset=1/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/); // the first device's session no longer works
  await second.close();
});
