import { describe, expect, it } from "vitest";
import { formatReference, newBookingReference, normalizeReference } from "@/lib/bookings/reference";

// One display form of a booking reference ("J5C1-Y1BM") wherever a person reads it; either form
// (and sloppy typing) accepted wherever a person types it.

describe("booking references", () => {
  it("display as XXXX-XXXX from the stored form, and again from the displayed form", () => {
    expect(formatReference("J5C1Y1BM")).toBe("J5C1-Y1BM");
    expect(formatReference("J5C1-Y1BM")).toBe("J5C1-Y1BM");
    expect(formatReference("j5c1 y1bm")).toBe("J5C1-Y1BM");
  });

  it("accept both forms as input, forgiving case, spaces and look-alikes", () => {
    for (const typed of ["J5C1Y1BM", "J5C1-Y1BM", "j5c1-y1bm", " J5C1 Y1BM ", "J5CI-YIBM"]) expect(normalizeReference(typed)).toBe("J5C1Y1BM");
    expect(normalizeReference("J5C1-Y1B")).toBeNull();
    expect(normalizeReference("J5C1-Y1BU")).toBeNull(); // U is not in the alphabet
  });

  it("new references are canonical and survive the display round trip", () => {
    for (let i = 0; i < 200; i++) {
      const ref = newBookingReference();
      expect(normalizeReference(ref)).toBe(ref);
      expect(normalizeReference(formatReference(ref))).toBe(ref);
    }
  });

  it("references use an unambiguous alphabet and forgive look-alikes", () => {
    const refs = new Set(Array.from({ length: 2000 }, newBookingReference));
    expect(refs.size).toBe(2000);
    for (const r of refs) expect(r).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
    expect(normalizeReference("ab0c-1d2e")).toBe("AB0C1D2E");
    expect(normalizeReference("abOc-ld2e")).toBe("AB0C1D2E");
    expect(normalizeReference("ABCU1234")).toBeNull(); // U is not in the alphabet
    expect(normalizeReference("short")).toBeNull();
  });
});
