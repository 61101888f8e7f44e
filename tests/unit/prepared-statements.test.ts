import type postgres from "postgres";
import { describe, expect, it } from "vitest";
import { MAX_PREPARED_PARAMETERS, preparing } from "@/db/prepared";

// db/prepared.ts: which statements the pool prepares. The round trips this saves are measured
// against a real server in tests/integration/round-trips.test.ts; here, the rule itself.

type Call = { text: string; args: unknown[]; options: Record<string, unknown> };

function fakePool(calls: Call[]): postgres.Sql {
  const pool = {
    unsafe: (text: string, args: unknown[] = [], options: Record<string, unknown> = {}) => {
      calls.push({ text, args, options });
      return Promise.resolve([]);
    },
    begin: (fn: (tx: postgres.Sql) => unknown) => fn(fakePool(calls)),
    savepoint: (name: string, fn: (tx: postgres.Sql) => unknown) => fn(fakePool(calls)),
    options: { parsers: {} },
  };
  return pool as unknown as postgres.Sql;
}

describe("prepared statements", () => {
  it("prepares a statement with parameters, even when the caller (Drizzle) asked for none", async () => {
    const calls: Call[] = [];
    const sql = preparing(fakePool(calls));
    await sql.unsafe("SELECT $1::int", [1], { prepare: false });
    expect(calls[0].options.prepare).toBe(true);
  });

  it("leaves statements without parameters (the simple protocol, one round trip anyway) and bulk ones alone", async () => {
    const calls: Call[] = [];
    const sql = preparing(fakePool(calls));
    await sql.unsafe("BEGIN");
    const many = Array.from({ length: MAX_PREPARED_PARAMETERS + 1 }, (_, i) => i);
    await sql.unsafe(`INSERT INTO t VALUES ${many.map((i) => `($${i + 1})`).join(",")}`, many);
    expect(calls.map((c) => c.options.prepare)).toEqual([undefined, undefined]);
  });

  it("prepares inside transactions and savepoints too", async () => {
    const calls: Call[] = [];
    const sql = preparing(fakePool(calls));
    await sql.begin(async (tx) => {
      await tx.unsafe("SELECT $1::int", [1]);
      await (tx as unknown as { savepoint: (n: string, fn: (s: postgres.Sql) => Promise<unknown>) => Promise<unknown> }).savepoint("s", (s) =>
        s.unsafe("SELECT $1::int", [2]),
      );
    });
    expect(calls.map((c) => c.options.prepare)).toEqual([true, true]);
  });

  it("passes everything else through (the driver's options Drizzle reads)", () => {
    const sql = preparing(fakePool([]));
    expect(sql.options).toEqual({ parsers: {} });
  });
});
