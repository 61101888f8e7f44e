import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlClient } from "@/db";
import { startApp, type App, shareAppSecrets, RELAXED_LIMITS } from "@/tests/helpers/app";
import { appName } from "@/tests/helpers/process-figures";
import { formatReport, runSoak } from "../soak/workload";

// The soak in its CI form (about a minute; `npm run soak` runs the same workload for 10 minutes):
// two app processes under mixed browsing, buying, holding and releasing, expiring holds, cron
// ticks and event cancellations. No valid request may fail, every event touched must pass the
// integrity checks, and memory and connections must stay bounded.

shareAppSecrets();

const SECONDS = Number(process.env.SOAK_CI_SECONDS || 60);
const POOL_MAX = 10;
let apps: (App & { pgApp: string })[];

beforeAll(async () => {
  apps = await Promise.all(
    [1, 2].map(async (n) => {
      const pgApp = appName(`soak${n}`);
      const nodeOptions = `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=384`.trim(); // as `npm run soak`
      const app = await startApp({ env: { ...RELAXED_LIMITS, PGAPPNAME: pgApp, DATABASE_POOL_MAX: String(POOL_MAX), NODE_OPTIONS: nodeOptions } });
      return Object.assign(app, { pgApp });
    }),
  );
});
afterAll(async () => {
  await Promise.all((apps ?? []).map((a) => a.stop()));
});

describe("soak (short)", () => {
  it(
    `${SECONDS} s of mixed traffic over two processes: no errors, integrity clean, memory and connections bounded`,
    { timeout: (SECONDS + 120) * 1000 },
    async () => {
      const report = await runSoak({
        apps: apps.map((a) => ({ url: a.url, pid: a.child.pid!, pgApp: a.pgApp, output: a.output })),
        durationMs: SECONDS * 1000,
        warmupMs: Math.min(20_000, SECONDS * 250),
        customers: 10,
        cancelEveryMs: 15_000,
        pg: sqlClient(),
        cronSecret: process.env.CRON_SECRET!,
      });
      console.log(formatReport(report));
      expect(report.errorSamples).toEqual([]);
      expect(report.errors).toBe(0);
      expect(report.integrity.violations).toEqual([]);
      expect(report.outcomes.booked).toBeGreaterThan(0);
      expect(report.outcomes.released).toBeGreaterThan(0);
      expect(report.outcomes.leftToExpire).toBeGreaterThan(0);
      expect(report.outcomes.eventsCancelled).toBeGreaterThan(0);
      for (const a of report.apps) {
        expect(a.pgMax).toBeLessThanOrEqual(POOL_MAX);
        expect(a.errorLogLines).toBe(0);
        // Loose in the short run (the JIT and caches are still warming); the 10-minute soak is the real check.
        expect(a.rssEndMb).toBeLessThan(a.rssStartMb * 1.5 + 64);
      }
    },
  );
});
