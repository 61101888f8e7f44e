import crypto from "node:crypto";
import { RELAXED_LIMITS, TEST_SECRETS, shareAppSecrets, startApp, type App } from "@/tests/helpers/app";
import { pgConnections } from "@/tests/helpers/process-figures";
import { assertLoopback, startTestServices } from "@/tests/helpers/services";
import { sleep } from "@/tests/helpers/wait";

// `npm run soak`: the full soak, 10 minutes by default (SOAK_SECONDS to change it). Brings up a
// throwaway PostgreSQL and redis-server unless DATABASE_URL and REDIS_URL point at loopback ones,
// builds the app if there is no build in NEXT_DIST_DIR (default .next), starts two `next start`
// processes and runs tests/soak/workload.ts against them. Prints RSS and Postgres connections of
// each process at the start (after warm-up) and the end, the error rate and the integrity
// result; exits 1 if a valid request failed, an invariant broke, memory kept climbing through
// the second half, a pool went past its bound or kept its connections once traffic stopped.

shareAppSecrets(); // tokens minted here must verify in the apps

const SECONDS = Number(process.env.SOAK_SECONDS || 600);
const CUSTOMERS = Number(process.env.SOAK_CUSTOMERS || 12);
const POOL_MAX = 10;
// Each app's V8 heap is capped as a container's memory limit would: with 20+ GB free, V8 grows the
// heap lazily and RSS says little; under a cap a leak ends in an out-of-memory crash (and failed
// requests), while a sound process keeps its RSS level.
const HEAP_MB = Number(process.env.SOAK_HEAP_MB || 384);

async function services() {
  if (process.env.DATABASE_URL && process.env.REDIS_URL) {
    assertLoopback(process.env.DATABASE_URL);
    assertLoopback(process.env.REDIS_URL);
    return { stop: async () => {} };
  }
  const started = await startTestServices("soak");
  process.env.DATABASE_URL = started.databaseUrl;
  process.env.REDIS_URL = started.redisUrl;
  return started;
}

async function main() {
  const svc = await services();
  const apps: (App & { pgApp: string })[] = [];
  let failed = true;
  try {
    // Imported only now: they read DATABASE_URL when first used.
    const { sqlClient, closeDb } = await import("@/db");
    const { runIntegrityChecks } = await import("@/lib/integrity/checks");
    const { formatReport, runSoak } = await import("./workload");
    for (const n of [1, 2]) {
      const pgApp = `tessera-soak${n}-${crypto.randomBytes(3).toString("hex")}`;
      console.log(`starting app ${n} (building first if there is no build)…`);
      const nodeOptions = `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=${HEAP_MB}`.trim();
      apps.push(
        Object.assign(await startApp({ env: { ...RELAXED_LIMITS, PGAPPNAME: pgApp, DATABASE_POOL_MAX: String(POOL_MAX), NODE_OPTIONS: nodeOptions } }), {
          pgApp,
        }),
      );
    }
    console.log(
      `soak: ${SECONDS} s, ${CUSTOMERS} customers, heap cap ${HEAP_MB} MB per app, apps ${apps.map((a) => `${a.url} (pid ${a.child.pid})`).join(", ")}`,
    );
    const report = await runSoak({
      apps: apps.map((a) => ({ url: a.url, pid: a.child.pid!, pgApp: a.pgApp, output: a.output })),
      durationMs: SECONDS * 1000,
      warmupMs: Math.min(60_000, SECONDS * 200),
      customers: CUSTOMERS,
      cancelEveryMs: 20_000,
      sampleEveryMs: SECONDS > 120 ? 10_000 : 5000,
      pg: sqlClient(),
      cronSecret: TEST_SECRETS.CRON_SECRET,
      progress: (line) => console.log(`  ${line}`),
    });
    const whole = await runIntegrityChecks((await import("@/db")).db());
    // With the traffic gone, each pool must give its connections back (idle_timeout is 30 s).
    await sleep(35_000);
    const idle = await Promise.all(apps.map((a) => pgConnections(sqlClient(), a.pgApp)));
    console.log("");
    console.log(formatReport(report));
    for (const c of whole) console.log(`  ${c.violations === 0 ? "ok  " : "FAIL"} ${c.name} ${c.violations}`);
    console.log(`  pg connections 35 s after the traffic stopped: ${idle.join(" / ")}`);
    console.log(`SOAK ${JSON.stringify({ ...report, errorSamples: undefined, pgAfterIdle: idle })}`);

    const problems: string[] = [];
    if (report.errors > 0) problems.push(`${report.errors} valid requests failed`);
    if (report.integrity.violations.length || whole.some((c) => c.violations > 0)) problems.push("integrity violated");
    for (const [i, a] of report.apps.entries()) {
      // The pool fills up to its bound under load and must drain when idle; it may never grow past it.
      if (a.pgMax > POOL_MAX) problems.push(`app ${i + 1} used ${a.pgMax} connections (pool max ${POOL_MAX})`);
      if (idle[i] > 1) problems.push(`app ${i + 1} still held ${idle[i]} connections when idle`);
      // Memory: no climb from the middle of the run to its end (the heap warms up in the first part).
      if (a.rssLastMaxMb > a.rssMidMaxMb * 1.15 + 30) problems.push(`app ${i + 1} RSS still climbing: ${a.rssMidMaxMb} → ${a.rssLastMaxMb} MB`);
      if (a.errorLogLines > 0) problems.push(`app ${i + 1} logged ${a.errorLogLines} errors`);
    }
    console.log(problems.length ? `\nsoak FAILED: ${problems.join("; ")}` : "\nsoak passed: no errors, integrity clean, memory and connections flat");
    failed = problems.length > 0;
    await closeDb();
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await svc.stop();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
