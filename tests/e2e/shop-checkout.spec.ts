import { sql } from "drizzle-orm";
import { db } from "@/db";
import { countBookings, customerContext, expect, SCREENS, seats, seriousA11yViolations, test } from "./fixtures";
import { formatShortCode } from "@/lib/tickets/short-code";
import { typeCard } from "./support/checkout";
import { decodeQrSvg } from "./support/qr";

// From a hold to tickets: the checkout page (no test cards printed in production), a declined card
// with a clear message and a retry, a successful payment, the confirmation with QR tickets, the
// calendar file, the printable view, "my bookings", and nobody else can see any of it.

test("pay after a decline, get QR tickets, calendar and print views, find it in my bookings", async ({ shopper: page, browser, makeEvent }) => {
  const { event } = await makeEvent({ title: "Checkout night", sections: [seats(2, 8, 4500, "Stalls")] });
  await page.goto(`/events/${event.id}`);
  const finder = page.getByRole("form", { name: "Best available seats together" });
  await finder.getByLabel("Seats").selectOption("2");
  await finder.getByRole("button", { name: "Find seats" }).click();
  await page.getByRole("button", { name: "Reserve 2 seats" }).click();
  await page.getByTestId("checkout-link").click();
  await expect(page).toHaveURL(/\/checkout\/[0-9a-f-]{36}$/);
  const reservationId = page.url().split("/").pop()!;

  await expect(page.getByRole("heading", { name: "Checkout", level: 1 })).toBeVisible();
  await expect(page.getByTestId("order-items").getByRole("listitem")).toHaveText([/Stalls, row A, seat 4\s*€45.00/, /Stalls, row A, seat 5\s*€45.00/]);
  await expect(page.getByTestId("order-total")).toHaveText("€90.00");
  // A production site never prints the mock provider's test cards, even when it runs that provider.
  await expect(page.getByTestId("test-cards")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText("4242 4242");
  await page.screenshot({ path: `${SCREENS}/checkout.png`, fullPage: true });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Field errors next to the fields, nothing lost.
  await page.getByLabel("Card number").fill("4242 4242 4242 4241");
  await page.getByRole("button", { name: "Pay €90.00" }).click();
  await expect(page.locator("#cardNumber-error")).toHaveText("This card number is not valid");
  await expect(page.locator("#cardExpiry-error")).toHaveText("Enter the expiry as MM/YY");

  await typeCard(page, "decline");
  await page.getByRole("button", { name: "Pay €90.00" }).click();
  const alert = page.getByTestId("checkout-form").getByRole("alert");
  await expect(alert).toContainText("Your card was declined. Nothing was charged. Your seats stay held");
  await page.screenshot({ path: `${SCREENS}/checkout-declined.png`, fullPage: true });
  expect(await countBookings(reservationId)).toBe(0);

  await typeCard(page);
  await page.getByRole("button", { name: "Pay €90.00" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/);
  const reference = new URL(page.url()).pathname.split("/").pop()!;
  await expect(page.getByTestId("paid-banner")).toContainText("Your booking is confirmed");
  await expect(page.getByTestId("booking-reference")).toHaveText(`${reference.slice(0, 4)}-${reference.slice(4)}`);
  await expect(page.getByTestId("booking-status")).toHaveText("Confirmed");
  const tickets = page.getByTestId("ticket");
  await expect(tickets).toHaveCount(2);
  await expect(tickets.first()).toContainText("Stalls, row A, seat 4");
  // Under each QR code, the code the door can type, as stored for that ticket (XXX-XXX-XXX).
  const shortCodes = (
    await db().execute<{ short_code: string }>(
      sql`select t.short_code from tickets t join bookings b on b.id = t.booking_id join inventory i on i.id = t.inventory_id where b.reference = ${reference} order by i.seq`,
    )
  ).map((r) => formatShortCode(r.short_code));
  await expect(page.getByTestId("ticket-code")).toHaveText(shortCodes);
  expect(shortCodes.every((c) => /^[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}$/.test(c))).toBe(true);

  // The QR codes decode to the signed ticket payloads of exactly this booking's tickets.
  const ids = (
    await db().execute<{ id: string }>(sql`select t.id from tickets t join bookings b on b.id = t.booking_id where b.reference = ${reference} order by t.id`)
  ).map((r) => r.id);
  const payloads = await Promise.all((await page.getByTestId("ticket-qr").all()).map(async (qr) => decodeQrSvg(await qr.innerHTML())));
  expect(payloads.every((p) => /^TK1\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]+$/.test(p ?? ""))).toBe(true);
  expect(payloads.map((p) => p!.split(".")[1]).sort()).toEqual(ids);
  await page.screenshot({ path: `${SCREENS}/booking.png`, fullPage: true });
  expect(await seriousA11yViolations(page)).toEqual([]);
  expect(await countBookings(reservationId)).toBe(1);

  const ics = await page.request.get(`/bookings/${reference}/calendar`);
  expect(ics.status()).toBe(200);
  expect(ics.headers()["content-type"]).toContain("text/calendar");
  const body = await ics.text();
  expect(body).toContain("BEGIN:VEVENT");
  expect(body).toContain("SUMMARY:Checkout night");
  expect(body).toMatch(/DTSTART:\d{8}T\d{6}Z/);

  await page.goto(`/bookings/${reference}/print`);
  await expect(page.getByRole("img", { name: /QR code for ticket/ })).toHaveCount(2);
  await expect(page.getByTestId("print-ticket-code")).toHaveText(shortCodes);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
  await page.screenshot({ path: `${SCREENS}/booking-print.png`, fullPage: true });
  await page.emulateMedia({ media: "screen" });

  await page.goto("/account/bookings");
  const list = page.getByTestId("booking-list");
  await expect(list).toContainText("Checkout night");
  await expect(list).toContainText(`${reference.slice(0, 4)}-${reference.slice(4)}`);
  await page.screenshot({ path: `${SCREENS}/my-bookings.png`, fullPage: true });
  await list.getByRole("link", { name: "Checkout night" }).click();
  await expect(page).toHaveURL(`/account/bookings/${reference}`);
  await expect(page.getByTestId("ticket")).toHaveCount(2);
  await page.goto("/account/bookings?when=past");
  await expect(page.getByText("No past bookings.")).toBeVisible();
  await page.goto("/account/holds");
  await expect(page.getByText("You have no seats on hold.")).toBeVisible();

  // Someone else: the booking, its calendar file and the reservation all answer 404.
  const other = await customerContext(browser);
  try {
    const res = await other.page.goto(`/bookings/${reference}`);
    expect(res?.status()).toBe(404);
    await expect(other.page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    expect((await other.page.request.get(`/bookings/${reference}/calendar`)).status()).toBe(404);
    expect((await other.page.goto(`/checkout/${reservationId}`))?.status()).toBe(404);
    expect((await other.page.goto(`/account/bookings/${reference}`))?.status()).toBe(404);
  } finally {
    await other.context.close();
  }
});

test("my active holds lists a hold with its countdown and can release it", async ({ shopper: page, makeEvent }) => {
  const { event } = await makeEvent({ title: "Hold list", sections: [seats(1, 6, 2000, "Stalls")] });
  await page.goto(`/events/${event.id}`);
  await page.getByRole("form", { name: "Best available seats together" }).getByRole("button", { name: "Find seats" }).click();
  await page.getByRole("button", { name: "Reserve 2 seats" }).click();
  await expect(page.getByTestId("hold-panel")).toBeVisible();
  await page.goto("/account/holds");
  const holds = page.getByTestId("hold-list");
  await expect(holds).toContainText("Hold list");
  await expect(holds.getByTestId("countdown")).toHaveText(/^(10:00|9:[0-5]\d)$/);
  await expect(holds.getByRole("link", { name: "Checkout · €40.00" })).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/my-holds.png`, fullPage: true });
  await holds.getByRole("button", { name: "Release" }).click();
  await expect(page.getByText("You have no seats on hold.")).toBeVisible();
});
