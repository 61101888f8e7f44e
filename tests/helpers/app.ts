import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort, waitForPort } from "@/lib/dev/services";

// Starts real `next start` processes for black-box, multi-process and fault tests.

const root = path.resolve(import.meta.dirname, "../..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");

export const TEST_SECRETS = {
  AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
  CRON_SECRET: "test-cron-secret-0123456789",
};

/** Generous rate limits for suites that are not about rate limiting. */
export const RELAXED_LIMITS = {
  RATE_LIMIT_LOGIN_ACCOUNT: "100000/60",
  RATE_LIMIT_LOGIN_ACCOUNT_ADDRESS: "100000/60",
  RATE_LIMIT_LOGIN_IP: "100000/60",
  RATE_LIMIT_REGISTER: "100000/60",
  RATE_LIMIT_API: "100000/60",
  RATE_LIMIT_SEAT_MAP: "100000/60",
  RATE_LIMIT_QUEUE_POLL: "100000/60",
  RATE_LIMIT_ACTION: "100000/60",
  RATE_LIMIT_RESERVATION: "100000/60",
  RATE_LIMIT_CONFIRM: "100000/60",
};

/**
 * Call at the top of a test file that mints tokens or ticket codes for `startApp` processes
 * (before anything reads env()): what this process signs, the apps then verify.
 */
export function shareAppSecrets() {
  Object.assign(process.env, TEST_SECRETS);
}

const distDir = process.env.NEXT_DIST_DIR || ".next";

export function ensureBuild() {
  if (fs.existsSync(path.join(root, distDir, "BUILD_ID"))) return;
  const r = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (r.status !== 0) throw new Error("next build failed");
}

export type App = { url: string; port: number; child: ChildProcess; output: () => string; stop: (signal?: NodeJS.Signals) => Promise<number | null> };

/** `workers`: run the production launcher (server/start.mjs, `npm start`) with that many workers instead of `next start`. */
export async function startApp(opts: { env?: Record<string, string | undefined>; port?: number; workers?: number } = {}): Promise<App> {
  ensureBuild();
  const port = opts.port ?? (await freePort());
  // A test that names its Redis (a private server it stops, or none) means that one, also when
  // the whole run points at a Redis Cluster (REDIS_CLUSTER_NODES wins over REDIS_URL).
  const redisChosen = opts.env && "REDIS_URL" in opts.env && !("REDIS_CLUSTER_NODES" in opts.env) ? { REDIS_CLUSTER_NODES: "" } : {};
  let output = "";
  const command = opts.workers ? [path.join(root, "server/start.mjs")] : [nextBin, "start"];
  const child = spawn(process.execPath, [...command, "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      ...TEST_SECRETS,
      NODE_ENV: "production",
      TESSERA_ALLOW_TEST_SWITCHES: "1",
      AUTH_TRUST_HOST: "true",
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      ...(opts.workers ? { WEB_CONCURRENCY: String(opts.workers) } : {}),
      ...redisChosen,
      // The tests stand in for one proxy in front of the app: the last X-Forwarded-For entry they
      // send is the client's address (each test file speaks from its own, see testIp()).
      TRUSTED_PROXY_HOPS: "1",
      TESSERA_ALLOW_MOCK_PAYMENTS: "1", // production refuses the mock provider otherwise
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await Promise.race([
    waitForPort(port, 60_000),
    exited.then((code) => {
      throw new Error(`next start exited with ${code}:\n${output}`);
    }),
  ]);
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill(signal);
    return exited;
  };
  return { url: `http://127.0.0.1:${port}`, port, child, output: () => output, stop };
}
