import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { connectionOptions } from "@/db";
import { freePort, startPostgres } from "@/lib/dev/services";

// A database on the same host can be reached through its Unix socket with libpq's URL form
// (?host=/dir), which postgres.js alone does not understand.

describe("DATABASE_URL with ?host=/socket/dir", () => {
  it("connects through the Unix socket, not TCP", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-sock-"));
    fs.chmodSync(dir, 0o777);
    const pg = await startPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), persistent: false, fast: true, socketDir: dir });
    try {
      const { url, path: socket } = connectionOptions(pg.socketUrl!);
      expect(socket).toBe(`${dir}/.s.PGSQL.${pg.port}`);
      expect(url).not.toContain("host=");
      const client = postgres(url, { path: socket, max: 1, onnotice: () => {} });
      // inet_server_addr() is NULL on a Unix-socket connection and 127.0.0.1 over TCP.
      const [row] = await client`select inet_server_addr() as addr, current_database() as db`;
      await client.end();
      expect(row).toEqual({ addr: null, db: "tessera" });
    } finally {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
