import { describe, expect, it } from "vitest";
import { describeCause, isDatabaseUnavailable } from "@/lib/errors";

// Which errors mean "the database is away" (503 Retry-After, the saga stops and the sweep
// finishes later) rather than a bug (500, the booking step compensates). Drizzle wraps the
// driver's error in "Failed query: …" and keeps it as `cause`.

const driverError = (code: string, message = "driver error") => Object.assign(new Error(message), { code });
const failedQuery = (cause: Error) => new Error("Failed query: select 1\nparams: ", { cause });

describe("isDatabaseUnavailable", () => {
  it.each([
    "ECONNREFUSED",
    "ECONNRESET",
    "EPIPE",
    "ENOTCONN",
    "CONNECTION_CLOSED",
    "CONNECTION_ENDED",
    "CONNECT_TIMEOUT",
    "57P01",
    "57P03",
    "08006",
    "08003",
    "53300",
  ])("%s, also under Drizzle's wrapper, is the database being away", (code) => {
    expect(isDatabaseUnavailable(driverError(code))).toBe(true);
    expect(isDatabaseUnavailable(failedQuery(driverError(code)))).toBe(true);
  });

  it.each(["23505", "40P01", "22P02", "42P01"])("%s is not: it is answered as the error it is", (code) => {
    expect(isDatabaseUnavailable(failedQuery(driverError(code)))).toBe(false);
  });

  it("the driver's cause is named in logs", () => {
    expect(describeCause(failedQuery(driverError("EPIPE", "write EPIPE")))).toBe("EPIPE: write EPIPE");
    expect(describeCause(new Error("plain"))).toBeUndefined();
  });
});
