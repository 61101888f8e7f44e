import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { formatReference } from "@/lib/bookings/reference";
import { checkInTicket } from "@/lib/checkin";
import { env } from "@/lib/env";
import { formatShortCode } from "@/lib/tickets/short-code";
import { cancelEvent } from "@/lib/events/cancel";
import { createTestEvent, createUser, seats, createCast } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { buy } from "@/tests/helpers/purchase";

// Door check-in: each outcome the door staff can see, who may check in, and the race — two
// doors scanning one ticket at the same instant admit it exactly once.

async function setup() {
  const c = await createCast();
  const { event, places } = await createTestEvent({ organizer: c.organizerUser, sections: [seats(2, 5)] });
  const booking = await buy(c.customer, event.id, { seatIds: [places[0].id, places[1].id] });
  return { ...c, event, places, booking };
}

describe("checkInTicket", () => {
  it("admits a valid ticket once from its QR payload, then says already used with when and by whom", async () => {
    const s = await setup();
    const ticket = s.booking.tickets[0];
    const first = await checkInTicket(s.organizer, s.event.id, ticket.qrPayload);
    expect(first).toMatchObject({ ok: true, outcome: "valid", ticket: { id: ticket.id, rowLabel: "A", seatNumber: "1", reference: s.booking.reference } });
    const second = await checkInTicket(s.admin, s.event.id, ticket.qrPayload);
    expect(second).toMatchObject({ ok: true, outcome: "already_used", checkedInBy: "ORGANIZER tester" });
    if (second.ok && second.outcome === "already_used" && first.ok && first.outcome === "valid") {
      expect(second.checkedInAt).toBe(first.checkedInAt);
      expect(Math.abs(Date.parse(second.checkedInAt) - Date.now())).toBeLessThan(60_000);
    }
    const [row] = await db().execute<{ status: string; by: string }>(sql`SELECT status, checked_in_by AS by FROM tickets WHERE id = ${ticket.id}`);
    expect(row).toEqual({ status: "USED", by: s.organizer.id });
  });

  it("accepts the typed ticket code instead of the QR payload", async () => {
    const s = await setup();
    const code = s.booking.tickets[1].qrPayload.split(".")[2];
    expect(await checkInTicket(s.organizer, s.event.id, `  ${code}  `)).toMatchObject({ outcome: "valid", ticket: { id: s.booking.tickets[1].id } });
    expect(await checkInTicket(s.organizer, s.event.id, code)).toMatchObject({ outcome: "already_used" });
  });

  it("accepts the code printed under the QR code, however it is typed; only within its own event", async () => {
    const s = await setup();
    const [t0, t1] = s.booking.tickets;
    expect(t0.shortCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{9}$/);
    expect(t1.shortCode).not.toBe(t0.shortCode);
    // Lower case, spaces instead of dashes, the look-alike letter O for zero: all the same code.
    const sloppy = formatShortCode(t0.shortCode).toLowerCase().replace(/-/g, " ").replace(/0/g, "o");
    expect(await checkInTicket(s.organizer, s.event.id, sloppy)).toMatchObject({
      outcome: "valid",
      ticket: { id: t0.id, shortCode: t0.shortCode, reference: s.booking.reference },
    });
    expect(await checkInTicket(s.organizer, s.event.id, t0.shortCode)).toMatchObject({ outcome: "already_used", ticket: { id: t0.id } });
    // Typed at the door of another event (even one the same organizer runs), it is not a ticket there.
    const other = await createTestEvent({ organizer: s.organizerUser, sections: [seats(1, 3)] });
    expect(await checkInTicket(s.organizer, other.event.id, formatShortCode(t1.shortCode))).toEqual({ ok: true, outcome: "unknown" });
    expect(await checkInTicket(s.organizer, s.event.id, formatShortCode(t1.shortCode))).toMatchObject({ outcome: "valid", ticket: { id: t1.id } });
  });

  it("a booking reference typed instead of a ticket code is recognised and admits nothing", async () => {
    const s = await setup();
    for (const typed of [s.booking.reference, formatReference(s.booking.reference).toLowerCase()]) {
      expect(await checkInTicket(s.organizer, s.event.id, typed)).toEqual({ ok: true, outcome: "unknown", looksLike: "booking_reference" });
    }
    const [row] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM tickets WHERE event_id = ${s.event.id} AND status = 'USED'`);
    expect(row.n).toBe(0);
  });

  it("refuses forged, altered and unknown codes without admitting anything", async () => {
    const s = await setup();
    const payload = s.booking.tickets[0].qrPayload;
    const [v, id, code, mac] = payload.split(".");
    const altered = `${v}.${id}.${code.slice(0, -1)}${code.endsWith("A") ? "B" : "A"}.${mac}`;
    const shortCode = s.booking.tickets[0].shortCode;
    const otherShort = (shortCode[0] === "Z" ? "Y" : "Z") + shortCode.slice(1);
    for (const bad of [
      altered,
      `${v}.${id}.${code}.${mac.slice(1)}x`,
      "TK1.nonsense",
      "not a ticket",
      "A".repeat(22),
      otherShort,
      shortCode.slice(2),
      `${shortCode}Q`,
    ]) {
      expect(await checkInTicket(s.organizer, s.event.id, bad)).toEqual({ ok: true, outcome: "unknown" });
    }
    expect(await checkInTicket(s.organizer, s.event.id, "   ")).toMatchObject({ ok: false, code: "validation_failed" });
    const [row] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM tickets WHERE event_id = ${s.event.id} AND status = 'USED'`);
    expect(row.n).toBe(0);
  });

  it("says wrong event for a ticket of another event, naming it only to someone who manages it", async () => {
    const s = await setup();
    const other = await createTestEvent({ organizer: s.organizerUser, sections: [seats(1, 3)] });
    expect(await checkInTicket(s.organizer, other.event.id, s.booking.tickets[0].qrPayload)).toEqual({
      ok: true,
      outcome: "wrong_event",
      otherEventTitle: s.event.title,
    });
    const foreign = await createTestEvent({ sections: [seats(1, 3)] });
    const foreignBooking = await buy(s.otherCustomer, foreign.event.id, { seatIds: [foreign.places[0].id] });
    expect(await checkInTicket(s.organizer, s.event.id, foreignBooking.tickets[0].qrPayload)).toEqual({
      ok: true,
      outcome: "wrong_event",
      otherEventTitle: null,
    });
    const [row] = await db().execute<{ status: string }>(sql`SELECT status FROM tickets WHERE id = ${foreignBooking.tickets[0].id}`);
    expect(row.status).toBe("VALID");
  });

  it("says void for a ticket of a cancelled (refunded) booking", async () => {
    const s = await setup();
    const r = await cancelEvent(s.organizer, s.event.id);
    expect(r.ok).toBe(true);
    expect(await checkInTicket(s.organizer, s.event.id, s.booking.tickets[0].qrPayload)).toMatchObject({ ok: true, outcome: "void" });
  });

  it("only the event's organizer and admins may check in: others get not_found or forbidden", async () => {
    const s = await setup();
    const payload = s.booking.tickets[0].qrPayload;
    expect(await checkInTicket(s.otherOrganizer, s.event.id, payload)).toMatchObject({ ok: false, code: "not_found" });
    await expect(checkInTicket(s.customer, s.event.id, payload)).rejects.toMatchObject({ code: "forbidden" });
    await expect(checkInTicket(s.otherCustomer, s.event.id, payload)).rejects.toMatchObject({ code: "forbidden" });
    expect(await checkInTicket(s.organizer, "not-a-uuid", payload)).toMatchObject({ ok: false, code: "not_found" });
    const [row] = await db().execute<{ status: string }>(sql`SELECT status FROM tickets WHERE id = ${s.booking.tickets[0].id}`);
    expect(row.status).toBe("VALID");
  });
});

describe("two doors scan the same ticket at once", () => {
  it("exactly one check-in succeeds, each attempt on its own database connection", async () => {
    const s = await setup();
    const door2 = await createUser("ADMIN");
    const payload = s.booking.tickets[0].qrPayload;
    // Both calls start in the same tick; the pool gives each its own connection.
    const results = await Promise.all([
      checkInTicket(s.organizer, s.event.id, payload),
      checkInTicket({ id: door2.id, email: door2.email, name: door2.name, role: "ADMIN" }, s.event.id, payload),
    ]);
    const outcomes = results.map((r) => (r.ok ? r.outcome : r.code)).sort();
    expect(outcomes).toEqual(["already_used", "valid"]);
    await expectIntegrity(s.event.id);
  });

  it("ten simultaneous scans from ten separate connections: one valid, nine already used", async () => {
    const s = await setup();
    const payload = s.booking.tickets[1].qrPayload;
    const results = await Promise.all(Array.from({ length: 10 }, () => checkInTicket(s.admin, s.event.id, payload)));
    const valid = results.filter((r) => r.ok && r.outcome === "valid");
    expect(valid).toHaveLength(1);
    expect(results.filter((r) => r.ok && r.outcome === "already_used")).toHaveLength(9);
  });

  it("ten doors type the same printed code at once: one valid, nine already used", async () => {
    const s = await setup();
    const ticket = s.booking.tickets[0];
    const typed = [ticket.shortCode, formatShortCode(ticket.shortCode), ticket.shortCode.toLowerCase()];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => checkInTicket(s.admin, s.event.id, typed[i % typed.length])));
    expect(results.filter((r) => r.ok && r.outcome === "valid")).toHaveLength(1);
    expect(results.filter((r) => r.ok && r.outcome === "already_used")).toHaveLength(9);
    const [row] = await db().execute<{ status: string }>(sql`SELECT status FROM tickets WHERE id = ${ticket.id}`);
    expect(row.status).toBe("USED");
    await expectIntegrity(s.event.id);
  });

  it("control: a read-then-write check-in does double-admit under the same race, so the test above can fail", async () => {
    const s = await setup();
    const ticketId = s.booking.tickets[0].id;
    // The naive way: read the status, think, then write. Two separate connections.
    const conns = [postgres(env().DATABASE_URL, { max: 1 }), postgres(env().DATABASE_URL, { max: 1 })];
    try {
      const naive = async (q: postgres.Sql) => {
        const [t] = await q`SELECT status FROM tickets WHERE id = ${ticketId}`;
        await q`SELECT pg_sleep(0.3)`;
        if (t.status !== "VALID") return "already_used";
        await q`UPDATE tickets SET status = 'USED', checked_in_at = now() WHERE id = ${ticketId}`;
        return "valid";
      };
      const outcomes = await Promise.all(conns.map(naive));
      expect(outcomes).toEqual(["valid", "valid"]); // both doors let the same person in
    } finally {
      await Promise.all(conns.map((c) => c.end()));
    }
  });
});
