import crypto from "node:crypto";
import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import type { User } from "@/db/schema";
import { formatReference } from "@/lib/bookings/reference";
import { signInPage } from "@/tests/helpers/browser";
import { createUser } from "@/tests/helpers/fixtures";
import { testIp } from "@/tests/helpers/sign-in";
import { buySeats } from "./support/purchase";
import { formatShortCode } from "@/lib/tickets/short-code";

// The organizer area end to end: an organizer builds a venue with the layout generator (live map
// preview; another organizer may not edit it, an admin may), creates an event on it as a draft and publishes it, watches the live
// dashboard change while a customer buys (through the REST API), exports CSV, checks a ticket
// in twice at the door (the second says already used), and cancels the event with refunds.
// Users are made straight in the database (the e2e database starts empty).

const SCREENS = "test-results/screens";
fs.mkdirSync(SCREENS, { recursive: true });

async function staffPage(browser: Browser, user: User): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, extraHTTPHeaders: { "x-forwarded-for": testIp() } });
  const page = await context.newPage();
  await signInPage(page, user.email);
  return page;
}

/** A customer buying through the public REST API: the first `count` seats of the event. */
async function buyViaApi(baseURL: string, user: User, eventId: string, count: number) {
  const layout = await (await fetch(`${baseURL}/api/v1/events/${eventId}/seats`)).json();
  return buySeats(baseURL, user.email, eventId, layout.ids.slice(0, count));
}

test("venue, event, publish, live dashboard, CSV, check-in twice, cancel with refunds", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const tag = crypto.randomBytes(3).toString("hex");
  const [admin, organizer, otherOrganizer, customer] = await Promise.all([
    createUser("ADMIN", { name: "Ada Admin" }),
    createUser("ORGANIZER", { name: "Olly Organizer" }),
    createUser("ORGANIZER", { name: "Other Organizer" }),
    createUser("CUSTOMER", { name: `Cleo ${tag}` }),
  ]);
  const venueName = `Hall ${tag}`;

  let venueId = "";
  await test.step("the organizer creates a venue with the layout generator and sees the map preview", async () => {
    const page = await staffPage(browser, organizer);
    await page.goto("/admin/venues/new");
    await page.getByLabel("Venue name").fill(venueName);
    await page.getByLabel("Address").fill("1 Theatre Square");
    const stalls = page.getByRole("group", { name: "Section 1" });
    await stalls.getByLabel("Name", { exact: true }).fill("Stalls");
    await stalls.getByLabel("Rows", { exact: true }).fill("8");
    await stalls.getByLabel("Seats per row", { exact: true }).fill("12");
    await expect(page.getByTestId("preview-summary")).toContainText("96 assigned seats");
    await stalls.getByLabel("Rows", { exact: true }).fill("6");
    await stalls.getByLabel("Aisles after seats").fill("4, 8");
    await stalls.getByLabel("Curve (0–1)").fill("0.3");
    await stalls.getByLabel("Seat numbering").selectOption("rtl");
    await expect(page.getByTestId("preview-summary")).toContainText("72 assigned seats");
    await expect(page.getByTestId("layout-preview")).toHaveAttribute("data-seats", "72");
    await page.getByRole("button", { name: "+ General admission section" }).click();
    const standing = page.getByRole("group", { name: "Section 2" });
    await standing.getByLabel("Name", { exact: true }).fill("Standing");
    await standing.getByLabel("Capacity").fill("40");
    await expect(page.getByTestId("preview-summary")).toHaveText("72 assigned seats · standing: Standing (40) · total 112 places");
    await page.screenshot({ path: `${SCREENS}/admin-venue-form.png`, fullPage: true });

    // A mistake is reported beside its field and nothing typed is lost.
    await stalls.getByLabel("Rows", { exact: true }).fill("0");
    await page.getByRole("button", { name: "Create venue" }).click();
    await expect(page.getByRole("group", { name: "Section 1" }).getByText("At least 1 row")).toBeVisible();
    await expect(page.getByLabel("Venue name")).toHaveValue(venueName);
    await page.getByRole("group", { name: "Section 1" }).getByLabel("Rows", { exact: true }).fill("6");
    await expect(page.getByRole("group", { name: "Section 2" }).getByLabel("Capacity")).toHaveValue("40");
    await page.getByRole("button", { name: "Create venue" }).click();
    await expect(page).toHaveURL(/\/admin\/venues\?saved=/);
    venueId = new URL(page.url()).searchParams.get("saved")!;
    await expect(page.getByRole("status")).toContainText("Venue saved.");
    await expect(page.getByText(venueName)).toBeVisible();
    await expect(page.getByRole("link", { name: `Edit ${venueName}` })).toBeVisible();
    await page.context().close();
  });

  await test.step("another organizer can use the venue but not edit it; an admin can edit it", async () => {
    const other = await staffPage(browser, otherOrganizer);
    await other.goto("/admin/venues");
    await expect(other.getByText(venueName)).toBeVisible();
    await expect(other.getByRole("link", { name: `Edit ${venueName}` })).toHaveCount(0);
    expect((await other.goto(`/admin/venues/${venueId}`))?.status()).toBe(403);
    await other.context().close();
    const page = await staffPage(browser, admin);
    expect((await page.goto(`/admin/venues/${venueId}`))?.status()).toBe(200);
    await expect(page.getByLabel("Venue name")).toHaveValue(venueName);
    await page.context().close();
  });

  const org = await staffPage(browser, organizer);
  let eventId = "";
  await test.step("the organizer creates a draft event on the registered venue, then publishes it", async () => {
    await org.goto("/admin/events/new");
    await org.getByLabel("Title").fill(`Gala ${tag}`);
    await org.getByLabel("Description").fill("An evening of tests.");
    await org.getByLabel("Venue", { exact: true }).selectOption({ label: venueName });
    await org.getByLabel("Price for Stalls (EUR)").fill("25.00");
    await org.getByLabel("Price for Standing (EUR)").fill("1x");
    await org.getByRole("button", { name: "Create event" }).click();
    await expect(org.getByText("Use a price like 12.50")).toBeVisible();
    await expect(org.getByLabel("Title")).toHaveValue(`Gala ${tag}`);
    await org.getByLabel("Price for Standing (EUR)").fill("15");
    await org.getByRole("button", { name: "Create event" }).click();
    await expect(org).toHaveURL(/\/admin\/events\/[0-9a-f-]{36}\?created=1/);
    eventId = org.url().match(/events\/([0-9a-f-]{36})/)![1];
    await expect(org.getByTestId("event-status")).toHaveText("draft");
    await expect(org.getByTestId("stat-sold")).toHaveText("0 / 112");
    await org.screenshot({ path: `${SCREENS}/admin-event-draft.png`, fullPage: true });
    await org.getByRole("button", { name: "Publish" }).click();
    await expect(org.getByText("Published: customers can now see this event.")).toBeVisible();
    await expect(org.getByTestId("event-status")).toHaveText("on sale");
  });

  let booking: Awaited<ReturnType<typeof buyViaApi>>;
  await test.step("the live dashboard changes while a customer buys, without a reload", async () => {
    await org.goto(`/admin/events/${eventId}`);
    await expect(org.getByTestId("stat-sold")).toHaveText("0 / 112");
    const navigations: string[] = [];
    org.on("framenavigated", (f) => f === org.mainFrame() && navigations.push(f.url()));
    booking = await buyViaApi(baseURL!, customer, eventId, 2);
    await expect(org.getByTestId("stat-sold")).toHaveText("2 / 112", { timeout: 15_000 });
    await expect(org.getByTestId("stat-revenue")).toHaveText("€50.00");
    await expect(org.getByTestId("section-row-Stalls")).toContainText("2");
    // One display form of a booking reference everywhere: J5C1-Y1BM.
    await expect(org.getByTestId("recent-bookings")).toContainText(formatReference(booking.reference));
    await expect(org.getByTestId("sales-chart")).toHaveAttribute("data-total", "2");
    await expect(org.getByTestId("house-map")).toHaveAttribute("aria-label", /2 seats sold/);
    expect(navigations).toEqual([]);
    await org.screenshot({ path: `${SCREENS}/admin-dashboard-live.png`, fullPage: true });
  });

  await test.step("attendees and bookings export as CSV", async () => {
    const [attendees] = await Promise.all([org.waitForEvent("download"), org.getByRole("link", { name: "Export attendees (CSV)" }).click()]);
    const text = fs.readFileSync((await attendees.path())!, "utf8");
    expect(attendees.suggestedFilename()).toMatch(/attendees\.csv$/);
    expect(text.split("\r\n")[0]).toContain('"booking_reference","ticket_code","ticket_id","name","email"');
    for (const t of booking.tickets) expect(text).toContain(`"${formatReference(booking.reference)}","${formatShortCode(t.shortCode)}","${t.id}"`);
    expect(text).toContain(customer.email);
    expect(text.match(new RegExp(`"${formatReference(booking.reference)}"`, "g"))).toHaveLength(2);
    const [bookings] = await Promise.all([org.waitForEvent("download"), org.getByRole("link", { name: "Export bookings (CSV)" }).click()]);
    const btext = fs.readFileSync((await bookings.path())!, "utf8");
    expect(btext).toContain(`"${formatReference(booking.reference)}","Cleo ${tag}","${customer.email}","CONFIRMED","2","","50.00","EUR"`);
  });

  await test.step("door staff check a ticket in twice: the second scan says already used", async () => {
    await org.getByRole("link", { name: "Check-in" }).click();
    await expect(org.getByRole("heading", { name: /Check-in/ })).toBeVisible();
    const code = org.getByLabel("Ticket code");
    await code.fill(booking.tickets[0].qrPayload);
    await org.getByRole("button", { name: "Check in" }).click();
    const result = org.getByTestId("checkin-result");
    await expect(result).toHaveAttribute("data-outcome", "valid");
    await expect(result).toContainText("VALID — let them in");
    await expect(result).toContainText(`booking ${formatReference(booking.reference)}`);
    await org.screenshot({ path: `${SCREENS}/admin-checkin-valid.png`, fullPage: true });
    await code.fill(booking.tickets[0].qrPayload);
    await org.getByRole("button", { name: "Check in" }).click();
    await expect(result).toHaveAttribute("data-outcome", "already_used");
    await expect(result).toContainText("ALREADY USED");
    await expect(result).toContainText(/Checked in .+ by Olly Organizer/);
    await org.screenshot({ path: `${SCREENS}/admin-checkin-used.png`, fullPage: true });
    // The code printed under the QR code, typed as a hurried person would: lower case, no dashes.
    await code.fill(booking.tickets[1].shortCode.toLowerCase());
    await org.getByRole("button", { name: "Check in" }).click();
    await expect(result).toHaveAttribute("data-outcome", "valid");
    await expect(result).toContainText(`ticket ${formatShortCode(booking.tickets[1].shortCode)}`);
    await org.screenshot({ path: `${SCREENS}/admin-checkin-typed.png`, fullPage: true });
    await code.fill(formatShortCode(booking.tickets[1].shortCode));
    await org.getByRole("button", { name: "Check in" }).click();
    await expect(result).toHaveAttribute("data-outcome", "already_used");
    // A booking reference typed by mistake is recognised and explained; nonsense is refused.
    await code.fill(formatReference(booking.reference));
    await org.getByRole("button", { name: "Check in" }).click();
    await expect(result).toHaveAttribute("data-outcome", "unknown");
    await expect(result).toContainText("That is a booking reference, not a ticket.");
    await code.fill("not-a-ticket");
    await org.getByRole("button", { name: "Check in" }).click();
    await expect(result).toHaveAttribute("data-outcome", "unknown");
  });

  await test.step("another organizer cannot open the event; a customer cannot open the area", async () => {
    const other = await staffPage(browser, otherOrganizer);
    for (const path of [`/admin/events/${eventId}`, `/admin/events/${eventId}/edit`, `/admin/events/${eventId}/check-in`, `/admin/events/${eventId}/cancel`]) {
      const res = await other.goto(path);
      expect(res?.status(), path).toBe(404);
    }
    expect((await other.request.get(`/admin/events/${eventId}/export/attendees`)).status()).toBe(404);
    await other.context().close();
    const cust = await staffPage(browser, customer);
    expect((await cust.goto("/admin"))?.status()).toBe(403);
    await cust.context().close();
  });

  await test.step("the organizer cancels the event after confirming, and sees the refunds", async () => {
    await org.goto(`/admin/events/${eventId}`);
    await org.getByRole("link", { name: "Cancel event" }).click();
    await expect(org.getByText("1 booking (2 tickets) will be cancelled and €50.00 refunded")).toBeVisible();
    await org.getByRole("button", { name: "Cancel event and refund everyone" }).click();
    await expect(org.getByText("Tick the box to confirm the cancellation")).toBeVisible();
    await org.getByLabel("Yes, cancel this event and refund 1 booking.").check();
    await org.getByRole("button", { name: "Cancel event and refund everyone" }).click();
    await expect(org).toHaveURL(new RegExp(`/admin/events/${eventId}\\?cancelled=1`));
    await expect(org.getByText("Event cancelled. 1 booking cancelled and refunded.")).toBeVisible();
    await expect(org.getByTestId("event-status")).toHaveText("cancelled");
    await expect(org.getByTestId("stat-refunded")).toHaveText("€50.00 · 1 booking");
    await expect(org.getByTestId("stat-sold")).toHaveText("0 / 112");
    await expect(org.getByTestId("recent-bookings")).toContainText("Cancelled · refunded");
    await org.screenshot({ path: `${SCREENS}/admin-event-cancelled.png`, fullPage: true });
  });

  await test.step("the admin sees the cancellation and refund in the audit trail, and changes a role", async () => {
    const page = await staffPage(browser, admin);
    await page.goto(`/admin/audit?q=${encodeURIComponent(organizer.email)}`);
    const table = page.getByTestId("audit-table");
    await expect(table).toContainText("event.cancel");
    await expect(table).toContainText("booking.refund");
    // Entries name the event, and the reference is searchable in either form.
    await expect(table).toContainText(`“Gala ${tag}” cancelled (was on sale)`);
    await expect(table).toContainText(`booking ${formatReference(booking.reference)} for “Gala ${tag}” cancelled, €50.00 refunded (the event was cancelled)`);
    await expect(table).toContainText("event.publish");
    await expect(table).toContainText(`venue “${venueName}” created`);
    await page.screenshot({ path: `${SCREENS}/admin-audit.png`, fullPage: true });
    for (const typed of [booking.reference, formatReference(booking.reference).toLowerCase()]) {
      await page.goto(`/admin/audit?q=${encodeURIComponent(typed)}`);
      await expect(page.getByTestId("audit-table").getByRole("row")).toHaveCount(2); // header + the refund
      await expect(page.getByTestId("audit-table")).toContainText(`booking ${formatReference(booking.reference)} for “Gala ${tag}”`);
    }

    await page.goto("/admin/users");
    await page.getByLabel("Search name or email").fill(customer.email);
    await page.getByRole("button", { name: "Search" }).click();
    const row = page.getByTestId(`user-${customer.email}`);
    await row.getByLabel(`Role of ${customer.email}`, { exact: true }).selectOption("ORGANIZER");
    await row.getByRole("button", { name: `Save role of ${customer.email}` }).click();
    await expect(row).toContainText("Now organizer; their old sessions were signed out.");
    await expect(row.getByLabel(`Role of ${customer.email}`, { exact: true })).toHaveValue("ORGANIZER");
    await page.screenshot({ path: `${SCREENS}/admin-users.png`, fullPage: true });
    await page.goto(`/admin/audit?action=role.change&q=${encodeURIComponent(admin.email)}`);
    await expect(page.getByTestId("audit-table")).toContainText(`${customer.email}: customer → organizer`);
    await page.context().close();
  });
  await org.context().close();
});

test("custom venue event: sections defined inline; a stale edit form gets a clear error", async ({ browser }) => {
  test.setTimeout(120_000);
  const tag = crypto.randomBytes(3).toString("hex");
  const organizer = await createUser("ORGANIZER", { name: "Cora Organizer" });
  const page = await staffPage(browser, organizer);
  await page.goto("/admin/events/new");
  await page.getByLabel("Custom venue").check();
  await page.getByLabel("Title").fill(`Club night ${tag}`);
  await page.getByLabel("Venue name").fill("The Cellar");
  const first = page.getByRole("group", { name: "Section 1" });
  await first.getByLabel("Rows", { exact: true }).fill("3");
  await first.getByLabel("Seats per row", { exact: true }).fill("8");
  await first.getByLabel("Price (EUR)").fill("30");
  await page.getByRole("button", { name: "+ General admission section" }).click();
  const floor = page.getByRole("group", { name: "Section 2" });
  await floor.getByLabel("Capacity").fill("50");
  await floor.getByLabel("Price (EUR)").fill("12.50");
  await expect(page.getByTestId("preview-summary")).toHaveText("24 assigned seats · standing: Standing (50) · total 74 places");
  // Sales may not end after the event: the error sits beside the field.
  await page.getByLabel("Sale ends").fill("2099-01-01T10:00");
  await page.getByRole("button", { name: "Create event" }).click();
  await expect(page.getByText("Sales must end by the end of the event")).toBeVisible();
  await expect(page.getByRole("group", { name: "Section 2" }).getByLabel("Price (EUR)")).toHaveValue("12.50");
  const ends = await page.getByLabel("Ends", { exact: true }).inputValue();
  await page.getByLabel("Sale ends").fill(ends);
  await page.getByRole("button", { name: "Create event" }).click();
  await expect(page).toHaveURL(/\/admin\/events\/[0-9a-f-]{36}\?created=1/);
  const eventId = page.url().match(/events\/([0-9a-f-]{36})/)![1];
  await expect(page.getByTestId("stat-sold")).toHaveText("0 / 74");

  // Two tabs open the edit form; the first save wins, the second is told and keeps its text.
  const second = await page.context().newPage();
  await page.goto(`/admin/events/${eventId}/edit`);
  await second.goto(`/admin/events/${eventId}/edit`);
  await page.getByLabel("Title").fill(`Club night ${tag} (late)`);
  await page.getByRole("group", { name: "Section 1" }).getByLabel("Rows", { exact: true }).fill("4");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/events/${eventId}\\?saved=1`));
  await expect(page.getByTestId("stat-sold")).toHaveText("0 / 82");
  await second.getByLabel("Title").fill(`Club night ${tag} (early)`);
  await second.getByRole("button", { name: "Save changes" }).click();
  await expect(second.getByRole("alert").filter({ hasText: "changed by someone else" })).toBeVisible();
  await expect(second.getByLabel("Title")).toHaveValue(`Club night ${tag} (early)`);
  await second.screenshot({ path: `${SCREENS}/admin-edit-stale.png`, fullPage: true });
  await page.context().close();
});
