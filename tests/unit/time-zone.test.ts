import { describe, expect, it } from "vitest";
import { addWallDays, canonicalTimeZone, formatInZone, fromWallInput, offsetLabel, timeZoneSchema, toWallInput, zoneLabel } from "@/lib/time-zone";

// Event times are read on the venue's clock, the same on every machine whatever its own zone.

describe("time zones", () => {
  it("accepts IANA names (canonical spelling), refuses anything else", () => {
    expect(canonicalTimeZone("Europe/Dublin")).toBe("Europe/Dublin");
    expect(canonicalTimeZone("europe/dublin")).toBe("Europe/Dublin");
    expect(canonicalTimeZone("UTC")).toBe("UTC");
    for (const bad of ["Mars/Olympus", "", "Europe/Dublin\u0000", "../../etc/passwd", "+01:00", 42, null]) expect(canonicalTimeZone(bad)).toBeNull();
    expect(timeZoneSchema.safeParse("Nowhere/Land").success).toBe(false);
    expect(timeZoneSchema.parse(" Asia/Kolkata ")).toBe("Asia/Kolkata");
  });

  it("formats an instant on the venue's clock, labelled with its offset", () => {
    const iso = "2026-07-04T18:30:00Z";
    expect(formatInZone(iso, "Europe/Dublin")).toBe("Sat 4 Jul 2026, 19:30");
    expect(zoneLabel(iso, "Europe/Dublin")).toBe("GMT+1");
    expect(formatInZone(iso, "America/Los_Angeles")).toBe("Sat 4 Jul 2026, 11:30");
    expect(zoneLabel(iso, "America/Los_Angeles")).toBe("GMT-7");
    expect(formatInZone(iso, "Asia/Kolkata")).toBe("Sun 5 Jul 2026, 00:00");
    expect(zoneLabel(iso, "Asia/Kolkata")).toBe("GMT+5:30");
    expect(formatInZone(iso, "Pacific/Auckland", { dateOnly: true })).toBe("5 Jul 2026");
    expect(offsetLabel(0)).toBe("GMT");
  });

  it("reads a typed wall time as the venue's, both ways, across summer time", () => {
    expect(fromWallInput("2026-07-04T19:30", "Europe/Dublin")!.toISOString()).toBe("2026-07-04T18:30:00.000Z");
    expect(fromWallInput("2026-01-15T19:30", "Europe/Dublin")!.toISOString()).toBe("2026-01-15T19:30:00.000Z");
    expect(toWallInput("2026-07-04T18:30:00Z", "Europe/Dublin")).toBe("2026-07-04T19:30");
    // New York, spring forward (02:00 → 03:00 on 8 March 2026): 02:30 does not exist → 03:30 EDT.
    expect(fromWallInput("2026-03-08T02:30", "America/New_York")!.toISOString()).toBe("2026-03-08T07:30:00.000Z");
    // Fall back (02:00 → 01:00 on 1 November 2026): 01:30 happens twice → the first, EDT.
    expect(fromWallInput("2026-11-01T01:30", "America/New_York")!.toISOString()).toBe("2026-11-01T05:30:00.000Z");
    for (const wall of ["2026-12-31T23:59", "2026-03-29T01:00", "2026-10-25T03:15"]) {
      expect(toWallInput(fromWallInput(wall, "Europe/Berlin")!, "Europe/Berlin")).toBe(wall);
    }
    for (const bad of ["", "2026-02-30T10:00", "2026-13-01T10:00", "2026-01-01T24:00", "tomorrow"]) expect(fromWallInput(bad, "UTC")).toBeNull();
  });

  it("moves a wall time by calendar days, keeping the time of day across a change of clocks", () => {
    // Berlin goes to summer time on 29 Mar 2026: 19:30 the day before is 19:30 the day after.
    const before = "2026-03-28T19:30";
    expect(addWallDays(before, 1)).toBe("2026-03-29T19:30");
    expect(addWallDays("2026-12-31T20:00", 1)).toBe("2027-01-01T20:00");
    expect(fromWallInput(addWallDays(before, 1), "Europe/Berlin")!.toISOString()).toBe("2026-03-29T17:30:00.000Z");
    expect(formatInZone("2026-12-12T18:30:05Z", "Europe/Berlin", { timeOnly: true, seconds: true })).toBe("19:30:05");
    expect(addWallDays("nonsense", 1)).toBe("");
  });
});
