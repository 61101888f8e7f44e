import { describe, expect, it } from "vitest";
import { connectionOptions } from "@/db";

// DATABASE_URL parsing (db/index.ts), without a database. Connecting through a Unix socket
// (?host=/socket/dir) is tested against a real server in tests/integration/db-socket.test.ts.

describe("DATABASE_URL with ?host=/socket/dir", () => {
  it("leaves TCP URLs alone", () => {
    const url = "postgres://u:p@db.example:5432/tessera?sslmode=require";
    expect(connectionOptions(url)).toEqual({ url });
  });
});
