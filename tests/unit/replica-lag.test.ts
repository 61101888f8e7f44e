import { describe, expect, it } from "vitest";
import { lagBound, parseLsn } from "@/db/replicas";

// How far behind a replica is, from samples of the primary's WAL position (db/replicas.ts).

describe("replica lag bound", () => {
  it("reads PostgreSQL's LSN text as a 64-bit position", () => {
    expect(parseLsn("0/0")).toBe(0n);
    expect(parseLsn("0/3000060")).toBe(0x3000060n);
    expect(parseLsn("1A/FF")).toBe((0x1an << 32n) + 0xffn);
    expect(parseLsn("16/B374D848") > parseLsn("16/B374D847")).toBe(true);
  });

  it("is the age of the newest primary sample the replica has replayed past", () => {
    const history = [
      { at: 1000, lsn: 100n },
      { at: 1250, lsn: 180n },
      { at: 1500, lsn: 180n }, // an idle primary: same position
      { at: 1750, lsn: 260n },
    ];
    expect(lagBound(history, 260n, 1800)).toBe(50); // caught up with the latest sample
    expect(lagBound(history, 200n, 1800)).toBe(300); // has what was written by 1500, not by 1750
    expect(lagBound(history, 180n, 1800)).toBe(300);
    expect(lagBound(history, 120n, 1800)).toBe(800);
    expect(lagBound(history, 99n, 1800)).toBe(Infinity); // older than anything remembered
    expect(lagBound([], 500n, 1800)).toBe(Infinity);
  });
});
