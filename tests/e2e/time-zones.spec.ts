import type { ConsoleMessage, Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { db } from "@/db";
import { events, promoCodes } from "@/db/schema";
import { signInPage } from "@/tests/helpers/browser";
import { createUser } from "@/tests/helpers/fixtures";
import { formatInZone, zoneLabel } from "@/lib/time-zone";
import { testIp } from "@/tests/helpers/sign-in";
import { expect, seats, test } from "./fixtures";
import { buySeats } from "./support/purchase";

// An event happens somewhere: its times are shown on its venue's clock, labelled, the same text
// on the server and after hydration. Here the browser runs in New York, the server in Tokyo
// (playwright.config.ts) and the venue is in Berlin: every page must say 19:30 GMT+1 for a show
// at 18:30 UTC in December, may add the visitor's own time, and must log no hydration error.

const STARTS = new Date("2026-12-12T18:30:00.000Z"); // Sat 12 Dec 2026, 19:30 in Berlin (winter: GMT+1)
const ON_THE_VENUE_CLOCK = "Sat 12 Dec 2026, 19:30 GMT+1";
const IN_NEW_YORK = "Sat 12 Dec 2026, 13:30 GMT-5";

/** Console errors and page errors that speak of hydration (React logs a mismatch as an error). */
function hydrationErrors(page: Page): string[] {
  const seen: string[] = [];
  const hydration = /hydrat|did not match|server rendered/i;
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error" && hydration.test(m.text())) seen.push(m.text());
  });
  page.on("pageerror", (e) => {
    if (hydration.test(String(e))) seen.push(String(e));
  });
  return seen;
}

test("event times read on the venue's clock on every page, with no hydration error", async ({ browser, page, makeEvent, baseURL }) => {
  const organizer = await createUser("ORGANIZER");
  const { event, places } = await makeEvent({ organizer, title: `Zoned recital ${crypto.randomUUID().slice(0, 6)}`, sections: [seats(1, 4)] });
  await db()
    .update(events)
    .set({ startsAt: STARTS, endsAt: new Date(STARTS.getTime() + 3 * 3600_000), saleEndsAt: STARTS, timeZone: "Europe/Berlin" })
    .where(eq(events.id, event.id));

  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe("America/New_York");
  const errors = hydrationErrors(page);
  await page.goto(`/events/${event.id}`);
  const when = page.getByTestId("event-when");
  await expect(when).toContainText(ON_THE_VENUE_CLOCK);
  // The visitor's own clock is added once the page runs in the browser.
  await expect(when).toContainText(`your time: ${IN_NEW_YORK}`);
  // The live feed's time belongs to no place: the browser's own clock once it runs (first UTC, as
  // on the server, so hydration agrees).
  await expect(page.getByTestId("live-status")).toContainText(/Live availability · updated \d\d:\d\d:\d\d GMT-5/);
  await page.goto("/");
  await page.getByLabel("Search events").fill(event.title);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("event-card").filter({ hasText: event.title })).toContainText(ON_THE_VENUE_CLOCK);
  expect(errors).toEqual([]);

  // The organizer's dashboard and edit form: the same clock; the form's inputs read as at the venue.
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": testIp() } });
  const staff = await context.newPage();
  const staffErrors = hydrationErrors(staff);
  await signInPage(staff, organizer.email);
  // A sale, so that the dashboard's sales chart labels its bars (on the venue's clock too).
  await buySeats(baseURL!, (await createUser()).email, event.id, [places[0].id]);
  await staff.goto(`/admin/events/${event.id}`);
  await expect(staff.getByText(ON_THE_VENUE_CLOCK).first()).toBeVisible();
  await expect(staff.getByTestId("sales-chart")).toHaveAttribute("data-total", "1");
  await expect(staff.getByText("Times on the venue's clock (GMT+1).")).toBeVisible();
  await staff.goto("/admin");
  await expect(staff.getByText(ON_THE_VENUE_CLOCK).first()).toBeVisible();
  await staff.goto(`/admin/events/${event.id}/edit`);
  await expect(staff.getByLabel("Starts", { exact: true })).toHaveValue("2026-12-12T19:30");
  await expect(staff.getByText("On the venue's clock: Europe/Berlin (GMT+1).").first()).toBeVisible();
  // Saved unchanged, the start is the same instant (typed on the venue's clock, not New York's).
  await staff.getByRole("button", { name: "Save changes" }).click();
  await expect(staff).toHaveURL(new RegExp(`/admin/events/${event.id}\\?saved=1`));
  const [row] = await db().select({ startsAt: events.startsAt }).from(events).where(eq(events.id, event.id));
  expect(row.startsAt.toISOString()).toBe(STARTS.toISOString());
  // The runs-of-dates form proposes the next days at 19:30 on the venue's clock.
  await staff.goto(`/admin/events/${event.id}/dates`);
  await expect(staff.getByLabel("Date 1")).toHaveValue("2026-12-13T19:30");
  await expect(staff.getByLabel("Date 3")).toHaveValue("2026-12-15T19:30");
  await expect(staff.getByTestId("run-date-zone").first()).toHaveText("GMT+1");
  // "Member since" is the viewer's date, rendered alike on the server and at hydration.
  await staff.goto("/account");
  await expect(staff.getByTestId("member-since")).toHaveText(/^\d{1,2} \w{3} \d{4}$/);
  // A new event's suggested start is 19:00 on the clock of the venue the form starts with.
  await staff.goto("/admin/events/new");
  await expect(staff.getByLabel("Starts", { exact: true })).toHaveValue(/T19:00$/);
  expect(staffErrors).toEqual([]);
  await context.close();
});

test("the door's check-in time and the waiting room's opening time read on the venue's clock", async ({ browser, makeEvent, baseURL }) => {
  const organizer = await createUser("ORGANIZER", { name: "Dora Door" });
  const { event, places } = await makeEvent({ organizer, title: `Door night ${crypto.randomUUID().slice(0, 6)}`, sections: [seats(1, 4)] });
  await db().update(events).set({ timeZone: "Europe/Berlin" }).where(eq(events.id, event.id));
  const booking = await buySeats(baseURL!, (await createUser()).email, event.id, [places[0].id]);

  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": testIp() } });
  const door = await context.newPage();
  const errors = hydrationErrors(door);
  await signInPage(door, organizer.email);
  await door.goto(`/admin/events/${event.id}/check-in`);
  const code = door.getByLabel("Ticket code");
  for (let i = 0; i < 2; i++) {
    await code.fill(booking.tickets[0].shortCode);
    await door.getByRole("button", { name: "Check in" }).click();
    await expect(door.getByTestId("checkin-result")).toHaveAttribute("data-outcome", i === 0 ? "valid" : "already_used");
  }
  // Berlin's clock and label, not New York's (the browser) nor Tokyo's (the server).
  const label = zoneLabel(new Date(), "Europe/Berlin");
  await expect(door.getByTestId("checkin-result")).toContainText(
    new RegExp(`Checked in \\w{3} \\d{1,2} \\w{3} \\d{4}, \\d\\d:\\d\\d ${label.replace("+", "\\+")} by Dora Door`),
  );

  // A waiting room before the sale opens (another event: the room's settings are cached once
  // read): the queue page says when, on the venue's clock.
  const later = (await makeEvent({ organizer, title: `Queue night ${crypto.randomUUID().slice(0, 6)}`, sections: [seats(1, 4)] })).event;
  const opens = new Date(Math.ceil((Date.now() + 2 * 86_400_000) / 3_600_000) * 3_600_000);
  await db().update(events).set({ timeZone: "Europe/Berlin", waitingRoom: true, admitPerMinute: 30, saleStartsAt: opens }).where(eq(events.id, later.id));
  await door.goto(`/queue/${later.id}`);
  await expect(door.getByTestId("queue-before-opening")).toContainText(
    `The sale opens on ${formatInZone(opens, "Europe/Berlin")} ${zoneLabel(opens, "Europe/Berlin")}.`,
  );
  expect(errors).toEqual([]);
  await context.close();
});

test("a discount code's validity is typed and shown on the venue's clock, stored as the instant", async ({ browser, makeEvent }) => {
  const organizer = await createUser("ORGANIZER", { name: "Cora Codes" });
  const { event } = await makeEvent({ organizer, title: `Code night ${crypto.randomUUID().slice(0, 6)}`, sections: [seats(1, 4)] });
  await db().update(events).set({ timeZone: "Europe/Berlin" }).where(eq(events.id, event.id));
  // 19:30 in Berlin: 18:30Z in winter (GMT+1), 17:30Z in summer (GMT+2). The browser is in New
  // York and the server in Tokyo: neither clock may leak in.
  const FROM = new Date("2027-01-15T18:30:00.000Z");
  const UNTIL = new Date("2027-07-15T17:30:00.000Z");

  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": testIp() } });
  const staff = await context.newPage();
  const errors = hydrationErrors(staff);
  await signInPage(staff, organizer.email);
  await staff.goto(`/admin/events/${event.id}/promo-codes`);
  const add = staff.getByTestId("new-promo-code-form");
  await add.getByLabel("Code").fill("WINTER");
  await add.getByLabel("Amount (percent, or money for a fixed amount)").fill("10");
  await add.getByLabel("Valid from (optional)").fill("2027-01-15T19:30");
  await expect(add.getByText("On the venue's clock: Europe/Berlin (GMT+1).")).toBeVisible();
  await add.getByLabel("Valid until (optional)").fill("2027-07-15T19:30");
  await expect(add.getByText("On the venue's clock: Europe/Berlin (GMT+2).")).toBeVisible();
  await add.getByRole("button", { name: "Create code" }).click();
  const validity = staff.getByTestId("promo-code-WINTER").getByTestId("promo-code-validity");
  await expect(validity).toContainText(`from ${formatInZone(FROM, "Europe/Berlin")} GMT+1`);
  await expect(validity).toContainText(`until ${formatInZone(UNTIL, "Europe/Berlin")} GMT+2`);
  expect(formatInZone(FROM, "Europe/Berlin", { timeOnly: true })).toBe("19:30");
  const [row] = await db().select().from(promoCodes).where(eq(promoCodes.eventId, event.id));
  expect([row.validFrom?.toISOString(), row.validUntil?.toISOString()]).toEqual([FROM.toISOString(), UNTIL.toISOString()]);

  // The event dashboard's Codes table: the same clock.
  await staff.goto(`/admin/events/${event.id}`);
  const valid = staff.getByTestId("code-row-WINTER").getByTestId("code-valid");
  await expect(valid).toContainText(`from ${formatInZone(FROM, "Europe/Berlin")} GMT+1`);
  await expect(valid).toContainText(`until ${formatInZone(UNTIL, "Europe/Berlin")} GMT+2`);
  expect(errors).toEqual([]);
  await context.close();
});
