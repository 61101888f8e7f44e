import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "@/lib/dashboard/export";
import { majorUnits } from "@/lib/money";
import { bucketSeconds } from "@/lib/dashboard/stats";

// The dashboard's chart buckets and the CSV exports' cells, without a database.

describe("sales chart", () => {
  it("chooses bucket sizes that keep the chart at 48 bars or fewer", () => {
    expect(bucketSeconds(60)).toBe(60);
    expect(bucketSeconds(48 * 60)).toBe(60);
    expect(bucketSeconds(49 * 60)).toBe(300);
    expect(bucketSeconds(3 * 86400)).toBe(6 * 3600);
    expect(bucketSeconds(10 * 365 * 86400)).toBe(30 * 86400);
  });
});

describe("CSV cells", () => {
  it("quotes every cell and defuses formulas", () => {
    expect(csvCell('He said "hi"')).toBe('"He said ""hi"""');
    for (const evil of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) expect(csvCell(evil).startsWith(`"'`)).toBe(true);
    expect(csvCell(null)).toBe('""');
    expect(toCsv(["a"], [["b"]])).toBe('\uFEFF"a"\r\n"b"\r\n');
    expect(majorUnits(1234, "EUR")).toBe("12.34");
    expect(majorUnits(1234, "JPY")).toBe("1234");
  });
});
