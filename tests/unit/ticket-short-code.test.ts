import { describe, expect, it } from "vitest";
import { normalizeReference } from "@/lib/bookings/reference";
import { formatShortCode, newShortCode, normalizeShortCode } from "@/lib/tickets/short-code";

// The code the door can type: 9 characters without look-alikes, printed as XXX-XXX-XXX, read
// back however it was typed, and never mistaken for a booking reference (8 characters).

describe("ticket short codes", () => {
  it("are 9 characters of the unambiguous alphabet, and random", () => {
    const codes = Array.from({ length: 2000 }, newShortCode);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{9}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // Every character position uses the whole alphabet (no fixed or skewed bits).
    for (let i = 0; i < 9; i++) expect(new Set(codes.map((c) => c[i])).size).toBe(32);
  });

  it("print in groups of three and read back from any typing", () => {
    expect(formatShortCode("K7Q2M9XDP")).toBe("K7Q-2M9-XDP");
    for (const typed of ["K7Q-2M9-XDP", "k7q2m9xdp", " k7q 2m9 xdp "]) expect(normalizeShortCode(typed)).toBe("K7Q2M9XDP");
    expect(normalizeShortCode("10Q-2M9-XDP")).toBe("10Q2M9XDP");
    expect(normalizeShortCode("IOQ-2M9-XDP")).toBe("10Q2M9XDP"); // I → 1, O → 0
    expect(normalizeShortCode("K7Q-2M9-XD")).toBeNull();
    expect(normalizeShortCode("K7Q-2M9-XDU")).toBeNull(); // U is not in the alphabet
  });

  it("are never read as a booking reference, nor a reference as a ticket code", () => {
    const code = newShortCode();
    expect(normalizeReference(code)).toBeNull();
    expect(normalizeShortCode("J5C1-Y1BM")).toBeNull();
  });
});
