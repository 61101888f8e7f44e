import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { users } from "@/db/schema";
import { findManagedEvent } from "@/lib/auth/event-access";
import type { Actor } from "@/lib/auth/roles";
import { toActor } from "@/lib/auth/users";
import { listBlocks } from "@/lib/blocking/read";
import { getBookingByReference } from "@/lib/bookings";
import { checkInTicket } from "@/lib/checkin";
import { listStaffEvents } from "@/lib/dashboard/events";
import { exportEventCsv } from "@/lib/dashboard/export";
import { getHouseLayout } from "@/lib/dashboard/house";
import { getEventDashboard } from "@/lib/dashboard/stats";
import { cancelEvent } from "@/lib/events/cancel";
import { changeUserRole } from "@/lib/users";
import { getRoomSettings } from "@/lib/waiting-room/settings";
import { listWaitlist } from "@/lib/waitlist/read";
import { createCast, createTestEvent, seats } from "@/tests/helpers/fixtures";
import { buy } from "@/tests/helpers/purchase";

// Every privilege is judged by the acting user's current role, never by an id alone: an
// organizer demoted to customer keeps no access to the events they ran — not their bookings or
// the tickets' QR payloads, not the organizer area. The actor is re-read from the database on
// every request (lib/auth/actor.ts), so this is what the next request after the change meets.

/** What the call answered: "refused" for a throw, null, an empty answer or a failure. */
async function outcome(call: () => Promise<unknown>): Promise<"refused" | "allowed"> {
  try {
    const r = await call();
    if (r === null || r === undefined) return "refused";
    if (typeof r === "object" && "ok" in r && (r as { ok: boolean }).ok === false) return "refused";
    return "allowed";
  } catch {
    return "refused";
  }
}

async function reload(actor: Actor): Promise<Actor> {
  const [row] = await db().select().from(users).where(eq(users.id, actor.id));
  return toActor(row);
}

describe("stale privileges", () => {
  it("an organizer demoted to customer loses the bookings, tickets and organizer area of the events they ran", async () => {
    const cast = await createCast();
    const { event, places } = await createTestEvent({ organizer: cast.organizerUser, sections: [seats(1, 4)] });
    const booking = await buy(cast.customer, event.id, { seatIds: [places[0].id] });
    const code = booking.tickets[0].qrPayload;

    const calls = (who: Actor) => ({
      booking: () => getBookingByReference(who, booking.reference),
      managedEvent: () => findManagedEvent(who, event.id),
      dashboard: () => getEventDashboard(who, event.id),
      staffEvents: async () => ((await listStaffEvents(who)).some((e) => e.id === event.id) ? true : null),
      export: () => exportEventCsv(who, event.id, "attendees"),
      houseLayout: () => getHouseLayout(who, event.id),
      waitlist: () => listWaitlist(who, event.id),
      blocks: () => listBlocks(who, event.id),
    });
    const run = async (who: Actor) => Object.fromEntries(await Promise.all(Object.entries(calls(who)).map(async ([k, f]) => [k, await outcome(f)])));

    const asOrganizer = await run(cast.organizer);
    expect(
      Object.values(asOrganizer).every((o) => o === "allowed"),
      JSON.stringify(asOrganizer),
    ).toBe(true);

    expect(await changeUserRole(cast.admin, { userId: cast.organizer.id, role: "CUSTOMER" })).toMatchObject({ ok: true });
    const demoted = await reload(cast.organizer);
    expect(demoted.role).toBe("CUSTOMER");

    const asDemoted = await run(demoted);
    expect(asDemoted).toEqual(Object.fromEntries(Object.keys(asDemoted).map((k) => [k, "refused"])));
    // The door: a demoted organizer cannot check tickets in (or learn whether a code is valid),
    // and cannot cancel the event.
    expect(await outcome(() => checkInTicket(demoted, event.id, code))).toBe("refused");
    expect(await outcome(() => cancelEvent(demoted, event.id))).toBe("refused");
    // The customer still sees their own booking; the event still stands.
    expect(await getBookingByReference(cast.customer, booking.reference)).not.toBeNull();
    expect(await getRoomSettings(event.id)).toMatchObject({ exists: true });
  });
});
