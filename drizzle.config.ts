import { defineConfig } from "drizzle-kit";

// Only `npm run db:generate` uses this file: it diffs db/schema.ts against the committed
// migrations in drizzle/. Applying migrations is done by db/migrate.ts.
export default defineConfig({
  schema: "./db/schema.ts",
  out: "./drizzle",
  dialect: "postgresql",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/tessera" },
});
