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
];

export default config;
