import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/dev/services";
import { ensureBuild, startApp, type App } from "@/tests/helpers/app";
import { createUser, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { signInCookie } from "@/tests/helpers/sign-in";

let app: App;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe("production start", () => {
  it("refuses to start without AUTH_SECRET and says how to make one", async () => {
    ensureBuild();
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", CRON_SECRET: "x".repeat(20) };
    delete env.AUTH_SECRET;
    const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(await freePort())], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(1);
    expect(out).toMatch(/AUTH_SECRET: is required in production/);
    expect(out).toMatch(/openssl rand -base64 32/);
  });
});

describe("page gates", () => {
  it("sends anonymous visitors of /admin and /account to sign in, keeping where they were going", async () => {
    for (const p of ["/admin", "/account"]) {
      const res = await fetch(app.url + p, { redirect: "manual" });
      expect(res.status).toBe(307);
      expect(new URL(res.headers.get("location")!).pathname + new URL(res.headers.get("location")!).search).toBe(`/login?next=${encodeURIComponent(p)}`);
    }
  });

  it("keeps customers out of /admin and lets staff in", async () => {
    const customer = await createUser("CUSTOMER");
    const organizer = await createUser("ORGANIZER");
    const c = await signInCookie(app.url, customer.email, TEST_PASSWORD);
    const denied = await fetch(app.url + "/admin", { headers: { cookie: c }, redirect: "manual" });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain("Not allowed");
    const profile = await fetch(app.url + "/account", { headers: { cookie: c } });
    expect(profile.status).toBe(200);
    expect(await profile.text()).toContain(customer.email);
    const o = await signInCookie(app.url, organizer.email, TEST_PASSWORD);
    const allowed = await fetch(app.url + "/admin", { headers: { cookie: o } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("Organizer area");
  });

  it("still refuses a customer who sends middleware bypass headers", async () => {
    const customer = await createUser("CUSTOMER");
    const c = await signInCookie(app.url, customer.email, TEST_PASSWORD);
    const res = await fetch(app.url + "/admin", {
      headers: { cookie: c, "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
      redirect: "manual",
    });
    expect([303, 307, 403]).toContain(res.status);
    expect(await res.text()).not.toContain("Organizer area");
  });
});

describe("health", () => {
  it("reports database and redis up", async () => {
    const res = await fetch(app.url + "/api/v1/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { status: "up" }, redis: { status: "up", transport: "tcp" } });
  });
});
