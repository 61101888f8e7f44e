import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

// Two projects. `unit` (tests/unit): pure code, no services, no global setup — `npm run
// test:unit` runs only these, in seconds. `integration` (every other tests/**/*.test.ts): real
// PostgreSQL and redis-server, started by the global setup when `npm test` has not already.

export default defineConfig({
  resolve: {
    alias: {
      "@": import.meta.dirname,
      // `server-only` throws outside React Server Components; tests import lib/ directly.
      "server-only": path.join(import.meta.dirname, "tests/helpers/empty.ts"),
    },
  },
  test: {
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Many files start their own `next start` processes and race hundreds of requests; on a
    // 2-core CI box two such files at once starve each other's event loops past the deadlines
    // the product sets itself (1 s for a rate-limit answer), so CI runs one file at a time.
    maxWorkers: process.env.CI ? 1 : 2,
    allowOnly: !process.env.CI,
    env: { NODE_ENV: "test" },
    // next-auth imports "next/server" without an extension; let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          // lib/env.ts requires a DATABASE_URL even for code that never queries; unit tests get
          // an address where nothing listens, so an accidental query fails at once.
          env: { DATABASE_URL: "postgres://unit-tests@127.0.0.1:9/no-database" },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "tests/unit/**"],
          globalSetup: ["tests/helpers/global-setup.ts"],
        },
      },
    ],
  },
});
