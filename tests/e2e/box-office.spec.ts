import { sql } from "drizzle-orm";
import { db } from "@/db";
import { createUser, uniqueEmail } from "@/tests/helpers/fixtures";
import { clickSeat, expect, ga, SCREENS, seats, signInPage, test } from "./fixtures";

// The box office end to end: an organizer sells two seats for cash to a customer who has no
// account yet (a guest account is made, the tickets are emailed), is told clearly when a seat
// is already sold, gives standing places away as comps, and sees it all on the dashboard.

test("an organizer sells seats for cash and gives standing places away at the box office", async ({ page, makeEvent }) => {
  const organizer = await createUser("ORGANIZER", { name: "Bo Office" });
  const { event } = await makeEvent({ organizer, sections: [seats(2, 8, 2500), ga(20, 1500)], title: "Box office night" });
  const buyer = uniqueEmail("desk");

  await signInPage(page, organizer.email);
  await page.goto(`/admin/events/${event.id}`);
  await page.getByRole("link", { name: "Box office" }).click();
  await expect(page.getByRole("heading", { name: "Box office" })).toBeVisible();

  const seatsForm = page.getByTestId("box-office-seats-form");
  for (const seq of [3, 4]) await clickSeat(page, seq);
  await expect(page.getByTestId("box-office-selection")).toContainText("2 selected: Stalls, row A, seat 4; Stalls, row A, seat 5");
  await seatsForm.getByLabel("Customer email").fill(buyer);
  await seatsForm.getByLabel(/^Name/).fill("Dana Desk");
  await seatsForm.getByLabel("Payment").selectOption("CASH");
  await seatsForm.getByRole("button", { name: "Sell 2 seats" }).click();
  const outcome = seatsForm.getByTestId("box-office-outcome");
  await expect(outcome).toContainText(`2 places for ${buyer} (new guest account), €50.00 cash. The tickets are on their way by email.`);

  // The same seat again: refused, naming it, nothing sold.
  await clickSeat(page, 4);
  await seatsForm.getByLabel("Customer email").fill(uniqueEmail("late"));
  await seatsForm.getByRole("button", { name: "Sell 1 seat" }).click();
  await expect(outcome).toContainText("Not sold: Stalls, row A, seat 5 is held, sold or kept off sale.");
  await clickSeat(page, 4); // deselect

  // Two comps on the floor.
  const floor = page.getByRole("region", { name: /Floor/ });
  await floor.getByLabel("Places").fill("2");
  await floor.getByLabel("Customer email").fill(buyer);
  await floor.getByLabel("Payment").selectOption("COMPLIMENTARY");
  await floor.getByRole("button", { name: "Sell places" }).click();
  await expect(floor.getByTestId("box-office-outcome")).toContainText("2 places for");
  await expect(floor.getByTestId("box-office-outcome")).toContainText("complimentary");
  await expect(page.getByTestId("box-office-totals")).toContainText("4 of 36 sold · 2 given away · €50.00 taken at the desk");
  await page.screenshot({ path: `${SCREENS}/box-office.png`, fullPage: true });

  // The dashboard counts comps apart from revenue and shows how each booking was paid.
  await page.goto(`/admin/events/${event.id}`);
  await expect(page.getByTestId("stat-comps")).toHaveText("2");
  await expect(page.getByTestId("stat-revenue")).toHaveText("€50.00 · €50.00 at the desk");
  await expect(page.getByTestId("recent-bookings")).toContainText("Cash (box office)");
  await expect(page.getByTestId("recent-bookings")).toContainText("Complimentary (box office)");
  await page.screenshot({ path: `${SCREENS}/box-office-dashboard.png`, fullPage: true });

  // Both confirmations are in the outbox, to the customer.
  const mails = await db().execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM email_outbox o JOIN bookings b ON o.dedupe_key = 'booking_confirmed:' || b.id::text
    WHERE b.event_id = ${event.id} AND o.recipient = ${buyer}`);
  expect(mails[0].n).toBe(2);
});
