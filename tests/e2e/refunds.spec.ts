import { sql } from "drizzle-orm";
import { db } from "@/db";
import { ApiClient } from "@/tests/helpers/api";
import { createUser } from "@/tests/helpers/fixtures";
import type { Reservation } from "@/tests/helpers/responses";
import { testIp } from "@/tests/helpers/sign-in";
import { expect, SCREENS, seats, signInPage, test } from "./fixtures";
import { typeCard } from "./support/checkout";
import { screenshotMail, waitForMail } from "./support/mail";
import { buySeats } from "./support/purchase";

// Refunds on the organizer website and the customer cancellation policy, end to end, as people
// who have never seen the site would go: the organizer finds a booking from the event's
// dashboard, refunds two of its three tickets with a reason after reviewing the amount; the
// customer sees it on their booking and in their email. The organizer sets a cancellation policy
// on the event's edit page; customers see it on the event page, at checkout and on their
// booking, and may cancel only while it allows.

const printed = (ref: string) => `${ref.slice(0, 4)}-${ref.slice(4)}`;

test("an organizer refunds two of three tickets; the customer sees the refund and gets the email", async ({
  shopper,
  customer,
  browser,
  makeEvent,
  baseURL,
}) => {
  const organizer = await createUser("ORGANIZER", { name: "Rita Organizer" });
  const { event, places } = await makeEvent({ organizer, title: "Refund night", sections: [seats(1, 4, 3000, "Stalls")] });
  const booking = await buySeats(baseURL!, customer.email, event.id, [places[0].id, places[1].id, places[2].id]);
  const ref = printed(booking.reference);

  const orgContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { "x-forwarded-for": testIp() } });
  const org = await orgContext.newPage();
  await signInPage(org, organizer.email);
  await org.goto(`/admin/events/${event.id}`);
  await org.getByRole("link", { name: "Bookings and refunds" }).click();
  await expect(org.getByRole("heading", { name: "Bookings and refunds" })).toBeVisible();
  await org.getByLabel("Booking reference, customer email or name").fill(customer.email);
  await org.getByRole("button", { name: "Search" }).click();
  await expect(org.getByTestId("booking-hits")).toHaveText(`1 booking matches “${customer.email}”.`);
  await org.screenshot({ path: `${SCREENS}/refunds-search.png`, fullPage: true });
  await org.getByRole("link", { name: ref }).click();
  await expect(org.getByRole("heading", { name: `Booking ${ref}` })).toBeVisible();
  await expect(org.getByTestId("booking-customer")).toContainText(customer.email);
  await expect(org.getByTestId("staff-ticket")).toHaveText([/Stalls, row A, seat 1\s*€30.00\s*Valid/, /seat 2\s*€30.00\s*Valid/, /seat 3\s*€30.00\s*Valid/]);
  await expect(org.getByTestId("staff-refunds")).toContainText("None yet.");

  // A second tab on the same booking, left open: it will be out of date.
  const stale = await orgContext.newPage();
  await stale.goto(org.url());

  // Nothing chosen, no reason: told what to do, nothing happens.
  await org.getByRole("button", { name: "Review the refund" }).click();
  await expect(org.getByText("Choose at least one ticket")).toBeVisible();
  await expect(org.getByText("Say why in a few words (the customer reads it)")).toBeVisible();

  await org.getByLabel("Stalls, row A, seat 1").check();
  await org.getByLabel("Stalls, row A, seat 2").check();
  await org.getByLabel(/^Reason/).fill("The stage blocks the view from these two seats");
  await org.getByRole("button", { name: "Review the refund" }).click();
  const review = org.getByTestId("refund-review");
  await expect(review).toContainText(`Refund 2 of 3 valid tickets (${ref})`);
  await expect(org.getByTestId("refund-amount")).toHaveText("The customer gets €60.00 back to the card they paid with.");
  await expect(review).toContainText("“The stage blocks the view from these two seats”");
  await org.screenshot({ path: `${SCREENS}/refunds-review.png`, fullPage: true });
  await review.getByRole("button", { name: "Refund €60.00" }).click();
  await expect(org.getByRole("status").filter({ hasText: "refunded" })).toHaveText(
    `2 tickets of booking ${ref} refunded. €60.00 is on its way back to the customer's card. The seats are back on sale and the customer was emailed.`,
  );
  await expect(org.getByTestId("staff-ticket")).toHaveText([/seat 1\s*€30.00\s*Refunded/, /seat 2\s*€30.00\s*Refunded/, /seat 3\s*€30.00\s*Valid/]);
  await expect(org.getByTestId("staff-refund")).toHaveCount(1);
  await expect(org.getByTestId("staff-refund")).toContainText("€60.00 refunded to the card (confirmed by the payment provider)");
  await expect(org.getByTestId("staff-refund")).toContainText("Reason: The stage blocks the view from these two seats");
  await expect(org.getByTestId("staff-booking-status")).toHaveText("Confirmed · 1 of 3 tickets valid");
  await org.screenshot({ path: `${SCREENS}/refunds-done.png`, fullPage: true });

  // The out-of-date tab tries to refund seat 1 again: refused by name, nothing changes.
  await stale.getByLabel("Stalls, row A, seat 1").check();
  await stale.getByLabel(/^Reason/).fill("Refund again by mistake");
  await stale.getByRole("button", { name: "Review the refund" }).click();
  await stale.getByTestId("refund-review").getByRole("button", { name: "Refund €30.00" }).click();
  await expect(stale.getByRole("alert").filter({ hasText: "Already refunded" })).toHaveText("Already refunded: Stalls, row A, seat 1. Nothing was changed.");
  await stale.screenshot({ path: `${SCREENS}/refunds-refused.png`, fullPage: true });
  const [n] = await db().execute<{ refunds: number }>(sql`SELECT count(*)::int AS refunds FROM refunds WHERE booking_id = ${booking.id}`);
  expect(n.refunds).toBe(1);

  // The seats are on sale again: the event page shows them free.
  const [free] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM inventory WHERE event_id = ${event.id} AND status = 'AVAILABLE'`);
  expect(free.n).toBe(3);

  // The customer sees it on their booking, and in their email.
  await shopper.goto(`/bookings/${booking.reference}`);
  const refunds = shopper.getByTestId("refunds");
  await expect(refunds).toContainText("Refunded by the organizer");
  await expect(refunds).toContainText(/ticket [12], ticket [12]: €60.00 refunded to your card\./);
  await expect(refunds).toContainText("Reason: The stage blocks the view from these two seats");
  await expect(shopper.getByTestId("cancel-closed")).toHaveText("This event does not allow customers to cancel their bookings. Please contact the organizer.");
  await shopper.screenshot({ path: `${SCREENS}/refunds-customer-booking.png`, fullPage: true });
  const mail = await waitForMail(customer.email, /^Refund for booking/);
  expect(mail.subject).toBe(`Refund for booking ${ref}`);
  expect(mail.text).toContain("The organizer refunded some tickets of booking");
  expect(mail.text).toContain("These tickets are no longer valid: Stalls, row A, seat 1; Stalls, row A, seat 2.");
  expect(mail.text).toContain("Reason: The stage blocks the view from these two seats");
  expect(mail.text).toContain("We are refunding €60.00 to the card you paid with");
  const mailView = await orgContext.newPage();
  await screenshotMail(mailView, mail, `${SCREENS}/refunds-email.png`);
  await orgContext.close();
});

test("the cancellation policy: set on the edit page, shown before buying, enforced when cancelling", async ({
  shopper,
  customer,
  browser,
  makeEvent,
  baseURL,
}) => {
  const organizer = await createUser("ORGANIZER", { name: "Paula Policy" });
  const { event, places } = await makeEvent({ organizer, title: "Policy night", sections: [seats(1, 4, 3000, "Stalls")] });

  const orgContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { "x-forwarded-for": testIp() } });
  const org = await orgContext.newPage();
  await signInPage(org, organizer.email);
  await org.goto(`/admin/events/${event.id}`);
  await org.getByRole("link", { name: "Edit", exact: true }).click();
  const policy = org.getByTestId("cancellation-policy");
  await policy.getByLabel("Yes, until some hours before the start").check();
  await policy.getByLabel("Until how many hours before the start").fill("a day");
  await policy.getByRole("button", { name: "Save cancellation policy" }).click();
  await expect(policy.getByText("Enter a whole number of hours, like 48")).toBeVisible();
  await policy.getByLabel("Until how many hours before the start").fill("24");
  await policy.getByLabel("A percentage of the tickets' price").check();
  await policy.getByLabel("Fee in percent").fill("10");
  await policy.getByRole("button", { name: "Save cancellation policy" }).click();
  await expect(policy.getByRole("status")).toHaveText("Cancellation policy saved. It applies to cancellations from now on.");
  await expect(policy.getByLabel("Yes, until some hours before the start")).toBeChecked();
  await expect(policy.getByLabel("A percentage of the tickets' price")).toBeChecked();
  await org.screenshot({ path: `${SCREENS}/policy-edit.png`, fullPage: true });
  await org.reload(); // saved as shown
  await expect(policy.getByLabel("Until how many hours before the start")).toHaveValue("24");
  await expect(policy.getByLabel("Fee in percent")).toHaveValue("10");
  await orgContext.close();

  // Before buying: the event page and the checkout say it.
  const words = "You can cancel your booking until 24 hours before the start for a fee of 10%.";
  await shopper.goto(`/events/${event.id}`);
  await expect(shopper.getByTestId("cancellation-policy-note")).toContainText(words);
  await expect(shopper.getByTestId("cancellation-policy-note")).toContainText("Last moment to cancel:");
  await shopper.screenshot({ path: `${SCREENS}/policy-event-page.png`, fullPage: true });
  const anon = new ApiClient(baseURL!);
  const api = anon.as(await anon.login(customer.email));
  const held = await api.post<Reservation>(`/api/v1/events/${event.id}/reservations`, { seatIds: [places[0].id] });
  expect(held.status, held.text).toBe(201);
  await shopper.goto(`/checkout/${held.body.id}`);
  await expect(shopper.getByTestId("cancellation-policy-note")).toContainText(words);
  await shopper.screenshot({ path: `${SCREENS}/policy-checkout.png`, fullPage: true });
  await typeCard(shopper, "success");
  await shopper.getByRole("button", { name: "Pay €30.00" }).click();
  await expect(shopper).toHaveURL(/\/bookings\/[0-9A-Z]{8}\?paid=1$/);
  await expect(shopper.getByTestId("cancellation-policy-note")).toContainText(words);

  // On the booking (as it is later): what cancelling gives back, then cancelling.
  await shopper.goto(shopper.url().replace("?paid=1", ""));
  const cancel = shopper.getByTestId("cancel-booking");
  await expect(cancel).toContainText("If you cancel now you get €27.00 back (the tickets' €30.00 minus a cancellation fee of €3.00).");
  await cancel.getByLabel(/I want to cancel this booking/).check();
  await cancel.getByRole("button", { name: "Cancel booking" }).click();
  await expect(shopper.getByTestId("cancelled-banner")).toHaveText(
    "Your booking is cancelled. What comes back to your card is shown under Refunds below, and we have emailed you.",
  );
  await expect(shopper.getByTestId("booking-status")).toHaveText("Cancelled — refunded minus the cancellation fee");
  await expect(shopper.getByTestId("refund")).toContainText("€27.00 refunded to your card (cancellation fee €3.00 kept).");
  await shopper.screenshot({ path: `${SCREENS}/policy-cancelled.png`, fullPage: true });

  // Enforced: once the deadline has passed (the event starts sooner than the policy allows), no cancelling.
  const second = await buySeats(baseURL!, customer.email, event.id, [places[1].id]);
  await db().execute(sql`UPDATE events SET customer_cancel_hours = 300 WHERE id = ${event.id}`);
  await shopper.goto(`/bookings/${second.reference}`);
  await expect(shopper.getByTestId("cancel-closed")).toHaveText("The time to cancel this booking has passed.");
  await expect(shopper.getByTestId("cancel-booking")).toHaveCount(0);
  const refused = await api.post<{ code: string }>(`/api/v1/bookings/reference/${second.reference}/cancel`, {});
  expect(refused.status).toBe(409);
  expect(refused.body.code).toBe("cancellation_closed");
});
