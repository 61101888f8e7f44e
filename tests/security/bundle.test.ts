import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_SECRETS, ensureBuild } from "@/tests/helpers/app";

// Nothing secret or server-only reaches the browser. Every file under <dist>/static (what the
// CDN serves: JS chunks, CSS, manifests) is scanned for the secret values the build and the
// tests use, the development fallbacks in lib/env.ts, connection strings, and the fingerprints
// of server-only modules (the database layer, password hashing, Redis, tokens). The build for
// this suite is made with AUTH_SECRET/CRON_SECRET set to the test values (see the report), and
// whatever secrets are in this process's environment are looked for too. As a control, the same
// scanner must find the server-only fingerprints in the SERVER bundle, where they belong.

const root = path.resolve(import.meta.dirname, "../..");
const distDir = path.join(root, process.env.NEXT_DIST_DIR || ".next");

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

function scan(dir: string, needles: string[]): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const file of files(dir)) {
    const text = fs.readFileSync(file, "latin1");
    for (const n of needles) if (text.includes(n)) (found[n] ??= []).push(path.relative(distDir, file));
  }
  return found;
}

function secretValues(): string[] {
  const values = new Set<string>([
    TEST_SECRETS.AUTH_SECRET,
    TEST_SECRETS.CRON_SECRET,
    "tessera-development-secret-do-not-use-in-production", // lib/env.ts development fallbacks
    "dev-cron-secret-local-only",
  ]);
  for (const name of [
    "AUTH_SECRET",
    "CRON_SECRET",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "UPSTASH_REDIS_REST_TOKEN",
    "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY",
  ]) {
    const v = process.env[name];
    if (v && v.length >= 8) values.add(v);
  }
  for (const name of ["DATABASE_URL", "REDIS_URL"]) {
    const v = process.env[name];
    if (!v) continue;
    values.add(v);
    const password = decodeURIComponent(new URL(v).password);
    if (password.length >= 6) values.add(`:${password}@`);
  }
  return [...values];
}

const SERVER_ONLY_FINGERPRINTS = [
  "postgres://",
  "postgresql://",
  "redis://",
  "server-only",
  "cannot be imported from a Client Component",
  "bcrypt",
  "genSalt",
  "$2b$",
  "drizzle-orm",
  "pgTable",
  "password_hash",
  "ioredis",
  "@upstash/redis",
  "api-token:",
  "mock_ledger",
  "DATABASE_URL",
  "AUTH_SECRET",
  "CRON_SECRET",
  "STRIPE_SECRET_KEY",
];

describe("the browser bundle", () => {
  it("holds no secret value and no server-only module", () => {
    ensureBuild();
    const staticDir = path.join(distDir, "static");
    const scanned = files(staticDir);
    expect(scanned.filter((f) => f.endsWith(".js")).length).toBeGreaterThan(5);
    expect(scan(staticDir, secretValues())).toEqual({});
    expect(scan(staticDir, SERVER_ONLY_FINGERPRINTS)).toEqual({});
  });

  it("control: the scanner does find the server-only fingerprints in the server bundle", () => {
    const control = ["drizzle-orm", "bcrypt", "genSalt", "password_hash", "api-token:", "postgres://"];
    expect(Object.keys(scan(path.join(distDir, "server"), control)).sort()).toEqual([...control].sort());
  });
});
