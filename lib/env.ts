import { z } from "zod";

// The environment is read here once and validated; nothing else reads process.env directly.
// (next-auth reads AUTH_SECRET itself, through its own config in lib/auth/auth.config.ts.)

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

// A switch that is on unless set to false/0.
const boolOn = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v !== "false" && v !== "0");

const int = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.string().url({ message: "must be a postgres:// URL" }),
    DATABASE_POOL_MAX: int(10),
    // Worker processes of `npm start` (server/start.mjs reads it before the app exists; validated
    // here in every worker). Unset: one per CPU core.
    WEB_CONCURRENCY: z.coerce.number().int().positive().optional(),
    DATABASE_CONNECT_TIMEOUT_S: int(3),
    // Prepared statements (the driver's default). Turn off behind a transaction-mode pooler
    // (PgBouncer pool_mode=transaction before 1.21), which cannot carry them across transactions.
    DATABASE_PREPARED_STATEMENTS: boolOn,
    // Read replicas for reads that tolerate a second of lag (db/replicas.ts), comma-separated.
    DATABASE_REPLICA_URLS: z
      .string()
      .optional()
      .transform((v) =>
        (v ?? "")
          .split(",")
          .map((u) => u.trim())
          .filter(Boolean),
      )
      .refine((urls) => urls.every((u) => /^postgres(ql)?:\/\/\S+$/.test(u)), { message: "must be postgres:// URLs, comma-separated" }),
    // A replica further behind the primary than this is skipped (the read goes to the primary).
    DATABASE_REPLICA_MAX_LAG_MS: z.coerce.number().int().positive().default(1000),
    REDIS_URL: z
      .string()
      .url()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    // A Redis Cluster: some or all of its nodes as host:port,host:port (the rest is discovered).
    // Wins over REDIS_URL and Upstash.
    REDIS_CLUSTER_NODES: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .refine(
        (v) =>
          v === undefined ||
          v
            .split(",")
            .map((n) => n.trim())
            .filter(Boolean)
            .every((n) => /^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/.test(n)),
        {
          message: "must be host:port,host:port,… (nodes of one Redis Cluster)",
        },
      ),
    UPSTASH_REDIS_REST_URL: z
      .string()
      .url()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
    REDIS_TIMEOUT_MS: int(50),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional(),
    // The site's public URL as Auth.js sees it (its own variable): https here means __Secure- cookies.
    AUTH_URL: z
      .string()
      .url()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    CRON_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    PAYMENT_PROVIDER: z.enum(["mock", "stripe"]).default("mock"),
    PAYMENT_TIMEOUT_MS: int(5000),
    // The mock provider's answer time: "300" (always), or "300-1500" (uniformly between the two).
    MOCK_PAYMENT_LATENCY_MS: z
      .string()
      .regex(/^\d+(-\d+)?$/, 'must be milliseconds, e.g. "300", or a range "300-1500"')
      .default("0")
      .transform((v) => {
        const [min, max] = v.split("-").map(Number);
        return { min, max: Math.max(min, max ?? min) };
      }),
    STRIPE_SECRET_KEY: z.string().optional(),
    STRIPE_WEBHOOK_SECRET: z.string().optional(),
    // Stripe's publishable key (pk_…): the checkout page's Payment Element needs it in the browser.
    STRIPE_PUBLISHABLE_KEY: z.string().optional(),
    // Production takes no money through the mock provider unless this says so on purpose
    // (demo sites, load tests).
    TESSERA_ALLOW_MOCK_PAYMENTS: bool,
    CORS_ORIGINS: z.string().default(""),
    // Proxies in front of the app that append to X-Forwarded-For; 0 = none, use the TCP peer's
    // address (lib/security/client-address.ts; the README's "Client addresses behind proxies").
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    PUBLIC_BASE_URL: z.string().url().optional(),
    // New events with more places than this get a waiting room switched on (lib/waiting-room).
    WAITING_ROOM_DEFAULT_CAPACITY: int(30_000),
    // Outgoing email (lib/mail). Without SMTP_URL messages wait in the outbox, nothing is lost.
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example:587")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    MAIL_FROM: z.string().min(3).optional(),
    // The app process's own delivery loop polls every MAIL_POLL_MS (0 = only the cron tick sends).
    MAIL_POLL_MS: int(2000),
    // First retry delay after a failed delivery; doubles per attempt up to an hour.
    MAIL_RETRY_BASE_MS: int(15_000),
    // How long a claimed message is reserved for the worker that claimed it.
    MAIL_LEASE_SECONDS: z.coerce.number().int().min(2).default(60),
    // Development only: where `npm run dev`'s mail catcher stores caught mail (shown at /dev/mail).
    MAIL_CATCHER_DIR: z.string().optional(),
    // Test-only switches. Refused in production (see below).
    TESSERA_TEST_HOLD_DELAY_MS: int(0),
    TESSERA_TEST_UNGUARDED: bool,
    TESSERA_TEST_FAULTS: bool,
    // The outbox worker claims only messages whose recipient matches this LIKE pattern, so test
    // files that run a worker against the shared test database deliver only their own mail.
    TESSERA_TEST_MAIL_SCOPE: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    if (!env.AUTH_SECRET) ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required in production" });
    if (!env.CRON_SECRET) ctx.addIssue({ code: "custom", path: ["CRON_SECRET"], message: "is required in production" });
    if (env.SMTP_URL && !env.MAIL_FROM)
      ctx.addIssue({ code: "custom", path: ["MAIL_FROM"], message: "is required in production when SMTP_URL is set, e.g. Tessera <tickets@example.com>" });
    if (env.PAYMENT_PROVIDER === "stripe" && (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET || !env.STRIPE_PUBLISHABLE_KEY))
      ctx.addIssue({
        code: "custom",
        path: ["STRIPE_SECRET_KEY"],
        message: "STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_PUBLISHABLE_KEY are required with PAYMENT_PROVIDER=stripe",
      });
    if (env.PAYMENT_PROVIDER === "mock" && !env.TESSERA_ALLOW_MOCK_PAYMENTS)
      ctx.addIssue({
        code: "custom",
        path: ["PAYMENT_PROVIDER"],
        message:
          "is the mock provider (the default), which takes no real money: set PAYMENT_PROVIDER=stripe, or TESSERA_ALLOW_MOCK_PAYMENTS=1 for a demo site or a load test",
      });
  });

export type Env = z.infer<typeof schema>;

// A fixed development secret keeps `npm run dev` at zero configuration. Production refuses it.
const DEV_SECRET = "tessera-development-secret-do-not-use-in-production";

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "env"}: ${i.message}`);
    const hint = "Set them in the environment or in .env (see .env.example). " + "Generate a secret with: openssl rand -base64 32";
    throw new Error(`Invalid environment:\n${lines.join("\n")}\n${hint}`);
  }
  const env = result.data;
  const isProdServer = env.NODE_ENV === "production" && source.TESSERA_ALLOW_TEST_SWITCHES !== "1";
  if (isProdServer && (env.TESSERA_TEST_HOLD_DELAY_MS > 0 || env.TESSERA_TEST_UNGUARDED || env.TESSERA_TEST_FAULTS || env.TESSERA_TEST_MAIL_SCOPE)) {
    throw new Error("Invalid environment: TESSERA_TEST_* switches are for tests only and refused in production");
  }
  return { ...env, AUTH_SECRET: env.AUTH_SECRET ?? DEV_SECRET, CRON_SECRET: env.CRON_SECRET ?? "dev-cron-secret-local-only" };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
