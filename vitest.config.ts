import path from "node:path";
import { defineConfig } from "vitest/config";

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
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
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
  },
});
