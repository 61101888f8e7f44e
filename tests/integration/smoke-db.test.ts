import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { getRedis } from "@/lib/redis";

describe("services", () => {
  it("reaches postgres with migrations applied", async () => {
    const rows = await db().execute(sql`select count(*)::int as n from users`);
    expect(rows[0]).toEqual({ n: expect.any(Number) });
  });
  it("reaches redis", async () => {
    const r = getRedis()!;
    await r.set("smoke", "1", { px: 1000 });
    expect(await r.get("smoke")).toBe(1);
  });
});
