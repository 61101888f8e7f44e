import { sql } from "drizzle-orm";
import { db } from "@/db";
import { reservations } from "@/db/schema";
import { createUser } from "@/tests/helpers/fixtures";
import { expect, SCREENS, seats, signInPage, test } from "./fixtures";
import { typeCard } from "./support/checkout";
import { linkPath, screenshotMail, waitForMail } from "./support/mail";

// The waiting list end to end: a sold-out event, a customer joins the list, a hold elsewhere
// runs out, the cron tick offers the places to the customer (held in their name), they pay,
// and the organizer sees the list. The offer also arrives by email, with the same claim link.

async function tick(baseURL: string) {
  const res = await fetch(`${baseURL}/api/cron/tick`, { headers: { authorization: "Bearer e2e-cron-secret-0123456789" } });
  expect(res.status).toBe(200);
}

test("join the waiting list of a sold-out event, get the places that come back, pay for them", async ({
  shopper: page,
  customer,
  browser,
  makeEvent,
  baseURL,
}) => {
  const organizer = await createUser("ORGANIZER", { name: "Wendy Organizer" });
  const { event, places } = await makeEvent({ organizer, title: "Waiting list night", sections: [seats(1, 4, 2500, "Stalls")] });
  // Another customer holds every seat (written straight to the database, as their hold would be).
  const other = await createUser("CUSTOMER");
  const [held] = await db()
    .insert(reservations)
    .values({
      eventId: event.id,
      userId: other.id,
      status: "ACTIVE",
      quantity: places.length,
      amountMinor: 10_000,
      currency: "EUR",
      expiresAt: new Date(Date.now() + 600_000),
    })
    .returning();
  await db().execute(
    sql`UPDATE inventory SET status = 'HELD', reservation_id = ${held.id}, hold_expires_at = ${held.expiresAt.toISOString()}::timestamptz WHERE event_id = ${event.id}`,
  );

  await page.goto(`/events/${event.id}`);
  const panel = page.getByTestId("waitlist");
  await expect(panel).toContainText("Sold out, but places may come back.");
  await panel.getByLabel("Places").selectOption("2");
  await panel.getByRole("button", { name: "Join the waiting list" }).click();
  await expect(page.getByTestId("waitlist-position")).toHaveText(/You are number 1 on the waiting list for 2 places\./);
  // The place in line is said once: the outcome only confirms the joining.
  await expect(page.getByTestId("waitlist-outcome")).toHaveText("You joined the waiting list.");
  await expect(panel.getByText(/You are number 1/)).toHaveCount(1);
  await page.screenshot({ path: `${SCREENS}/waitlist-joined.png`, fullPage: true });

  // The other customer's hold runs out; the next tick offers the places in list order.
  await db().execute(sql`UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = ${held.id}`);
  await db().execute(sql`UPDATE inventory SET hold_expires_at = now() - interval '1 second' WHERE reservation_id = ${held.id}`);
  await tick(baseURL!);
  await page.reload();
  const offer = page.getByTestId("waitlist-offer");
  await expect(offer).toContainText("Good news: 2 places came back and are held for you until");
  await page.screenshot({ path: `${SCREENS}/waitlist-offer.png`, fullPage: true });
  // The offer is emailed too: the places, the total, the deadline and the same claim link.
  const mail = await waitForMail(customer.email, /^Places held for you: Waiting list night/);
  expect(mail.text).toContain("Good news from the waiting list: 2 places for Waiting list night");
  expect(mail.text).toMatch(/Pay before .+ UTC \(€50\.00 in total\) to keep them\./);
  const claim = linkPath(mail, "/checkout/");
  await expect(offer.getByRole("link", { name: "Pay for your places" })).toHaveAttribute("href", claim);
  const mailView = await browser.newPage();
  await screenshotMail(mailView, mail, `${SCREENS}/waitlist-offer-email.png`);
  await mailView.close();
  await offer.getByRole("link", { name: "Pay for your places" }).click();
  await expect(page).toHaveURL(/\/checkout\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("order-items").getByRole("listitem")).toHaveText([/Stalls, row A, seat 1\s*€25.00/, /Stalls, row A, seat 2\s*€25.00/]);
  await typeCard(page, "success");
  await page.getByRole("button", { name: "Pay €50.00" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/);
  await expect(page.getByTestId("ticket")).toHaveCount(2);

  // The organizer sees the list and how it ended.
  await tick(baseURL!);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const staff = await context.newPage();
  await signInPage(staff, organizer.email);
  await staff.goto(`/admin/events/${event.id}`);
  await staff.getByRole("link", { name: "Waiting list" }).click();
  await expect(staff.getByTestId("waitlist-table")).toContainText("Paid");
  await expect(staff.getByTestId("waitlist-summary")).toContainText("0 waiting for 0 places · 0 offers open · 1 paid");
  await staff.screenshot({ path: `${SCREENS}/waitlist-organizer.png`, fullPage: true });
  await context.close();
});
