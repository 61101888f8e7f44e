import { FlatCompat } from "@eslint/eslintrc";

// Next.js's own rules (React, hooks, accessibility, Core Web Vitals) and typescript-eslint's
// recommended set. `npm run lint` runs it; CI runs it before the tests.
const compat = new FlatCompat({ baseDirectory: import.meta.dirname });

const config = [
  { ignores: ["node_modules/**", ".next*/**", ".data/**", "drizzle/**", "bench/results/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...compat.extends("next/core-web-vitals", "next/typescript"),
  {
    rules: {
      // `const { omitted, ...rest } = x` is how this code drops a field from an object: the
      // dropped name is unused on purpose.
      "@typescript-eslint/no-unused-vars": ["warn", { ignoreRestSiblings: true }],
    },
  },
  // Imports run one way: app → components → lib → db (docs/architecture-rules.md). Loops between
  // lib's folders are caught by lib/dev/import-cycles.ts, which `npm run lint` runs as well.
  {
    files: ["lib/**", "components/**", "middleware.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/app", "@/app/*"], message: "Only app/ imports from app/: move what is shared into lib/." }] },
      ],
    },
  },
  {
    files: ["db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/app", "@/app/*", "@/components/*"], message: "db/ is the bottom layer: it imports nothing above it." },
            { group: ["@/lib/*", "!@/lib/env", "!@/lib/log"], message: "db/ may use lib/env and lib/log only; domain code lives in lib/ and imports db/." },
          ],
        },
      ],
    },
  },
  // Test-only code loads only through lib/test-switches.ts, behind a switch production refuses.
  {
    files: ["lib/**", "app/**", "components/**", "db/**", "middleware.ts", "instrumentation.ts"],
    ignores: ["lib/testing/**", "lib/test-switches.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/lib/testing/*", "**/testing/*"], allowTypeImports: true, message: "Reach test-only code through lib/test-switches.ts." }] },
      ],
    },
  },
];

export default config;
