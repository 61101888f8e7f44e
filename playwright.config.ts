import { defineConfig, devices } from "@playwright/test";

// Playwright drives Debian's Chromium (never a downloaded browser) against `next start`,
// which tests/run-all.ts has built and pointed at its throwaway PostgreSQL and Redis.
const port = Number(process.env.E2E_PORT ?? 3107);
const baseURL = `http://127.0.0.1:${port}`;
// The app's email goes to a mail catcher that tests/e2e/global-setup.ts starts on this port and
// stores in this folder (tests/e2e/support/mail.ts reads it). Workers evaluate this file too, so
// both are derived, never random.
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? port + 1);
process.env.E2E_SMTP_PORT = String(smtpPort);
process.env.E2E_MAIL_DIR ??= `test-results/e2e-mail-${smtpPort}`;

export const BROWSER_TIME_ZONE = "America/New_York";
export const SERVER_TIME_ZONE = "Asia/Tokyo";

export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/global-setup.ts",
  // Separate folders let several Playwright runs share a checkout without wiping each other.
  outputDir: process.env.PLAYWRIGHT_OUTPUT_DIR ?? "test-results/playwright",
  forbidOnly: !!process.env.CI,
  // One retry in CI only: a browser flow that fails twice is a real failure; one that passes on
  // the retry is reported as flaky in the run's JSON (seen once under heavy machine load).
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json"]],
  use: {
    baseURL,
    // The browser's clock is in New York while the server's is in Tokyo (webServer env TZ) and
    // the events' venues are in Berlin: a page must show the venue's time, the same on server
    // and client (tests/e2e/time-zones.spec.ts).
    timezoneId: BROWSER_TIME_ZONE,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: `node node_modules/next/dist/bin/next start -p ${port} -H 127.0.0.1`,
    url: `${baseURL}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      ...(process.env as Record<string, string>),
      NODE_ENV: "production",
      TZ: SERVER_TIME_ZONE,
      AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
      CRON_SECRET: "e2e-cron-secret-0123456789",
      AUTH_TRUST_HOST: "true",
      PUBLIC_BASE_URL: baseURL,
      TESSERA_ALLOW_TEST_SWITCHES: "1",
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: "Tessera <tickets@tessera.test>",
      MAIL_POLL_MS: "250",
      MAIL_RETRY_BASE_MS: "500",
      // The browser contexts stand in for one proxy: their X-Forwarded-For is the client address.
      TRUSTED_PROXY_HOPS: "1",
      TESSERA_ALLOW_MOCK_PAYMENTS: "1", // production refuses the mock provider otherwise
      DATABASE_URL: process.env.DATABASE_URL ?? "",
      REDIS_URL: process.env.REDIS_URL ?? "",
    },
  },
});
