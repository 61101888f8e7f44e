import { describe, expect, it } from "vitest";
import { MOCK_TEST_CARDS } from "@/lib/payments";

// The mock provider's test cards are documented (README, checkout page): they must not drift.

describe("mock payment provider", () => {
  it("documents its test cards", () => {
    expect(MOCK_TEST_CARDS).toEqual({
      success: "4242424242424242",
      decline: "4000000000000002",
      insufficientFunds: "4000000000009995",
      slow: "4000000000000077",
      flaky: "4000000000000119",
      threeDSecure: "4000002760003184",
    });
  });
});
