import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { runMigrations } from "@/db/migrate";
import { startMailCatcher } from "./mail-catcher";
import { freePort, isPortFree, redisServerPath, startPostgres, startRedis, waitForPort, type LocalPostgres, type LocalRedis } from "./services";

// `npm run dev`: zero-configuration local development. Uses DATABASE_URL / REDIS_URL /
// UPSTASH_* when given; otherwise starts an embedded PostgreSQL (data kept in .data/pg) and a
// local redis-server when one is on PATH. Unless SMTP_URL is set, catches the app's email in a
// local SMTP server (kept in .data/mail, shown at /dev/mail). Applies migrations, seeds an empty
// database, starts `next dev`, and runs the cron tick once on start and every minute, like
// Vercel Cron would.
// Pass --prod to serve a production build (`next build` first) instead of the dev server.

const root = process.cwd();
const dataDir = path.join(root, ".data");
const prod = process.argv.includes("--prod");

function say(msg: string) {
  console.log(`[tessera] ${msg}`);
}

function secretFile(name: string): string {
  const file = path.join(dataDir, name);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

async function main() {
  if (fs.existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  const stops: (() => Promise<void>)[] = [];

  let pg: LocalPostgres | undefined;
  if (!env.DATABASE_URL) {
    const port = (await isPortFree(5433)) ? 5433 : await freePort();
    say(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in .data/pg)`);
    pg = await startPostgres({ dataDir: path.join(dataDir, "pg"), port, persistent: true });
    env.DATABASE_URL = pg.url;
    stops.push(() => pg!.stop());
  }

  let redis: LocalRedis | undefined;
  if (!env.REDIS_URL && !env.UPSTASH_REDIS_REST_URL) {
    if (redisServerPath()) {
      const port = (await isPortFree(6380)) ? 6380 : await freePort();
      say(`starting redis-server on 127.0.0.1:${port}`);
      redis = await startRedis({ port, dir: path.join(dataDir, "redis") });
      env.REDIS_URL = redis.url;
      stops.push(() => redis!.stop());
    } else {
      say("WARNING: no Redis (REDIS_URL, UPSTASH_REDIS_REST_URL or redis-server on PATH). Holds run on PostgreSQL alone; rate limits are off.");
    }
  }

  if (!env.SMTP_URL) {
    const port = (await isPortFree(1025)) ? 1025 : await freePort();
    const catcher = await startMailCatcher({ port, dir: path.join(dataDir, "mail") });
    say(`catching email on ${catcher.url} (read it at /dev/mail)`);
    env.SMTP_URL = catcher.url;
    env.MAIL_CATCHER_DIR = catcher.dir;
    stops.push(() => catcher.stop());
  }
  env.MAIL_FROM ??= "Tessera <tickets@tessera.test>";

  env.AUTH_SECRET ??= secretFile("auth-secret");
  env.CRON_SECRET ??= secretFile("cron-secret");
  env.AUTH_TRUST_HOST ??= "true";

  say("applying migrations");
  await runMigrations(env.DATABASE_URL!);
  Object.assign(process.env, env);
  const { seed } = await import("./seed");
  const { closeDb } = await import("@/db");
  await seed({ log: say });
  await closeDb();

  const port = Number(env.PORT ?? 3000);
  env.PUBLIC_BASE_URL ??= `http://localhost:${port}`; // links in email
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  if (prod && !fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
    say("building (next build)");
    await new Promise<void>((resolve, reject) => {
      const b = spawn(process.execPath, [nextBin, "build"], { env: { ...env, NODE_ENV: "production" }, stdio: "inherit" });
      b.on("exit", (code) => (code === 0 ? resolve() : reject(new Error("next build failed"))));
    });
  }
  const child = spawn(process.execPath, [nextBin, prod ? "start" : "dev", "-p", String(port)], {
    // A local production build keeps the mock provider (and says so): production refuses it otherwise.
    env: prod ? { TESSERA_ALLOW_MOCK_PAYMENTS: "1", ...env, NODE_ENV: "production" } : env,
    stdio: "inherit",
  });

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    if (child.exitCode === null) child.kill("SIGTERM");
    for (const stop of stops.reverse()) await stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => shutdown(0));
  process.on("SIGTERM", () => shutdown(0));
  child.on("exit", (code) => shutdown(code ?? 0));

  const tick = async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/cron/tick`, { headers: { authorization: `Bearer ${env.CRON_SECRET}` } });
      if (!res.ok) say(`cron tick answered ${res.status}`);
    } catch {
      // the server may be restarting; the next tick will try again
    }
  };
  const timer = setInterval(tick, 60_000);
  waitForPort(port, 120_000).then(
    () => {
      say(`Tessera is running at http://localhost:${port}`);
      return tick();
    },
    () => {},
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
