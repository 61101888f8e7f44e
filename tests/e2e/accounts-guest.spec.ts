import { uniqueEmail } from "@/tests/helpers/fixtures";
import { testIp } from "@/tests/helpers/sign-in";
import { expect, SCREENS, seats, seriousA11yViolations, test } from "./fixtures";
import { linkPath, screenshotMail, waitForMail } from "./support/mail";
import { typeCard } from "./support/checkout";

// A visitor who has never been here buys as a guest with an email address only, gets the
// tickets by email with a private link that works without signing in (and only with the right
// key), and later claims an account with the same address through "Forgot your password?".

test.describe.configure({ timeout: 180_000 }); // one long flow as a person walks it, by email and back

test("guest checkout: tickets by email with a private link, then the account claimed with the same address", async ({ page, browser, makeEvent }) => {
  const { event } = await makeEvent({ title: "Guest night", sections: [seats(2, 6, 3000, "Stalls")] });
  const email = uniqueEmail("guest");

  await page.goto(`/events/${event.id}`);
  await page.getByTestId("guest-link").click();
  await expect(page.getByRole("heading", { name: "Continue as a guest" })).toBeVisible();
  // Field errors next to the fields; what was typed stays.
  await page.getByLabel("Email").fill("not-an-address");
  await page.getByLabel("Name").fill("Gwen Guest");
  await page.getByRole("button", { name: "Continue as a guest" }).click();
  await expect(page.locator("#email-error")).toHaveText("Enter a valid email address");
  await expect(page.getByLabel("Name")).toHaveValue("Gwen Guest");
  await page.screenshot({ path: `${SCREENS}/guest-form.png`, fullPage: true });
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Continue as a guest" }).click();
  await expect(page).toHaveURL(new RegExp(`/events/${event.id}$`));

  const finder = page.getByRole("form", { name: "Best available seats together" });
  await finder.getByLabel("Seats").selectOption("2");
  await finder.getByRole("button", { name: "Find seats" }).click();
  await page.getByRole("button", { name: "Reserve 2 seats" }).click();
  await page.getByTestId("checkout-link").click();
  await expect(page.getByTestId("tickets-to")).toContainText(`${email} (guest checkout)`);
  await typeCard(page, "success");
  await page.getByRole("button", { name: "Pay €60.00" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/);
  const reference = new URL(page.url()).pathname.split("/").pop()!;
  const readable = `${reference.slice(0, 4)}-${reference.slice(4)}`; // as people read it (J5C1-Y1BM)
  await expect(page.getByTestId("paid-banner")).toContainText(`on their way to ${email}`);

  // The confirmation email: tickets, QR codes, a PDF, the private link.
  const mail = await waitForMail(email, /Your tickets for Guest night/);
  expect(mail.attachments.map((a) => a.contentType).sort()).toEqual(["application/pdf", "image/png", "image/png"]);
  expect(mail.html).toContain("Stalls, row A");
  expect(mail.text).toContain(`Booking reference: ${readable}`);
  const link = linkPath(mail, `/bookings/${reference}`);
  expect(link).toMatch(/\?key=[A-Za-z0-9_-]{43}$/);
  const mailView = await browser.newPage();
  await screenshotMail(mailView, mail, `${SCREENS}/email-booking-confirmed.png`);
  await mailView.close();

  // The private link works in a browser that never signed in; a wrong key is a plain 404.
  const stranger = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": testIp() } });
  const other = await stranger.newPage();
  await other.goto(link);
  await expect(other.getByTestId("booking-reference")).toHaveText(readable);
  await expect(other.getByTestId("ticket")).toHaveCount(2);
  await other.screenshot({ path: `${SCREENS}/booking-private-link.png`, fullPage: true });
  const wrong = await other.goto(link.replace(/key=.{4}/, "key=AAAA"));
  expect(wrong?.status()).toBe(404);
  const bare = await other.goto(`/bookings/${reference}`);
  expect(new URL(bare!.url()).pathname).toBe("/login");
  await stranger.close();

  // Later: the guest claims an account with the same address.
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible(); // not the sign-in form's field
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByRole("status")).toContainText(`If ${email} belongs to an account or a guest order`);
  const reset = await waitForMail(email, /Reset your Tessera password/);
  await page.goto(linkPath(reset, "/reset-password"));
  await page.getByLabel("New password", { exact: true }).fill("claimed-pass-1");
  await page.getByLabel("New password again").fill("claimed-pass-1");
  await page.getByRole("button", { name: "Save and sign in" }).click();
  await expect(page).toHaveURL(/\/account\?reset=1&claimed=1$/);
  await expect(page.getByRole("status").first()).toContainText("1 booking made as a guest with your address is now in My bookings");
  await expect(page.getByTestId("email-status")).toHaveText("confirmed");
  await page.goto("/account/bookings");
  await expect(page.getByText("Guest night").first()).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/guest-claimed-bookings.png`, fullPage: true });
});
