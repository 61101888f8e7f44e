import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { runMigrations } from "@/db/migrate";
import { freePort, startPostgres } from "@/lib/dev/services";

// The demo data: seeded into an empty database exactly as `npm run dev` does (a separate
// process, PostgreSQL alone), it covers every event status and obeys every invariant.
describe("demo seed", () => {
  it("fills an empty database with events in every status and clean integrity", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-seed-"));
    fs.chmodSync(dir, 0o777);
    const pg = await startPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), persistent: false, fast: true });
    try {
      await runMigrations(pg.url);
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: pg.url, REDIS_URL: "", NODE_ENV: "development" };
      const first = spawnSync("npx", ["tsx", "--conditions=react-server", "lib/dev/seed.ts"], { env, encoding: "utf8", timeout: 120_000 });
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/seed: \d+ users, 2 venues, 8 events/);
      const again = spawnSync("npx", ["tsx", "--conditions=react-server", "lib/dev/seed.ts"], { env, encoding: "utf8", timeout: 120_000 });
      expect(again.stdout).toMatch(/already has users, skipping/);

      const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
      const statuses = await sql`select distinct status from events`;
      expect(statuses.map((r) => r.status).sort()).toEqual(["CANCELLED", "COMPLETED", "ON_SALE", "SOLD_OUT", "UPCOMING"]);
      const [{ n: free }] =
        await sql`select count(*)::int as n from events e where not exists (select 1 from event_sections s where s.event_id = e.id and s.price_minor > 0)`;
      expect(free).toBeGreaterThan(0);
      const [{ n: ga }] = await sql`select count(distinct event_id)::int as n from event_sections where kind = 'GA'`;
      expect(ga).toBeGreaterThan(0);
      const [{ n: stadium }] = await sql`select max(capacity)::int as n from events`;
      expect(stadium).toBeGreaterThanOrEqual(20_000);
      // The Child type is "half price": exactly half of each section's price, to the cent.
      const child = await sql`select s.price_minor as seat, p.price_minor as child from ticket_types t
        join ticket_type_prices p on p.ticket_type_id = t.id join event_sections s on s.id = p.section_id where t.name = 'Child'`;
      expect(child.length).toBeGreaterThan(0);
      for (const r of child) expect(r.child * 2).toBe(r.seat);
      // A hidden section, and an access code that names it.
      const hidden = await sql`select s.name, pc.code from event_sections s
        join promo_codes pc on pc.event_id = s.event_id and pc.kind = 'ACCESS' and s.id = any(pc.section_ids) where s.hidden`;
      expect(hidden.map((r) => `${r.name}:${r.code}`)).toEqual(["Dress Circle:MEMBERS"]);
      await sql.end();

      const check = spawnSync("npx", ["tsx", "--conditions=react-server", "lib/integrity/cli.ts"], { env, encoding: "utf8", timeout: 60_000 });
      expect(check.status, check.stdout + check.stderr).toBe(0);
    } finally {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
