import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/db";
import { createCast, createTestEvent, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity, expectLedgerBalanced } from "@/tests/helpers/integrity";
import { buy } from "@/tests/helpers/purchase";

// Ticket codes are random, so a new ticket may draw a code another ticket of the same event
// already has. The unique index refuses it; the booking then runs again with fresh codes
// instead of failing (and refunding) the customer's paid order. Forced here by making the code
// generator repeat itself.

const drawn: string[] = [];
vi.mock("@/lib/tickets/short-code", async (original) => {
  const real = await original<typeof import("@/lib/tickets/short-code")>();
  return { ...real, newShortCode: () => drawn.shift() ?? real.newShortCode() };
});

afterEach(() => {
  drawn.length = 0;
});

describe("a ticket code that clashes within the event", () => {
  it("is drawn again: the booking goes through with a code of its own", async () => {
    const c = await createCast();
    const { event, places } = await createTestEvent({ organizer: c.organizerUser, sections: [seats(1, 4, 1500)] });
    drawn.push("AAAAAAAAA");
    const first = await buy(c.customer, event.id, { seatIds: [places[0].id] });
    expect(first.tickets[0].shortCode).toBe("AAAAAAAAA");
    // The next booking draws the same code twice before a fresh one.
    drawn.push("AAAAAAAAA", "AAAAAAAAA");
    const second = await buy(c.otherCustomer, event.id, { seatIds: [places[1].id] });
    expect(second.status).toBe("CONFIRMED");
    expect(second.tickets[0].shortCode).not.toBe("AAAAAAAAA");
    expect(drawn).toHaveLength(0); // both clashing draws were used (and refused)
    const [row] = await db().execute<{ n: number; distinct: number }>(sql`
      SELECT count(*)::int AS n, count(DISTINCT short_code)::int AS distinct FROM tickets WHERE event_id = ${event.id}`);
    expect(row).toEqual({ n: 2, distinct: 2 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  });
});
