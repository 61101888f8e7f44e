import { describe, expect, test } from "vitest";
import { spearman } from "@/tests/helpers/waiting-room";

// The rank correlation the waiting-room order tests judge the line by (tests/helpers/waiting-room.ts).

describe("spearman", () => {
  test("the rank statistic tells arrival order from a draw", () => {
    const n = Array.from({ length: 50 }, (_, i) => i);
    expect(spearman(n, n)).toBeCloseTo(1);
    expect(spearman(n, [...n].reverse())).toBeCloseTo(-1);
  });
});
