import "server-only";
import { closeDb } from "@/db";
import { log } from "@/lib/log";
import { closeRedis } from "@/lib/redis";

// Graceful shutdown of an app process (registered by instrumentation.ts).
//
// On SIGTERM/SIGINT, `next start` (and the standalone server.js) already does the first half:
// its HTTP server stops accepting connections, waits for the requests in flight to finish, then
// calls process.exit(0). What it does not do is close our pools: the process would end with its
// Postgres and Redis sockets simply dropped. So, once a signal has arrived, the process.exit that
// follows is held back until the Postgres pool has ended its connections (Terminate message;
// queries still running get up to 5 s) and the Redis client has said QUIT. A deadline of 25 s
// (inside the usual 30 s grace period of Kubernetes, ECS or systemd before SIGKILL) ends the
// process anyway if a request never finishes.
//
// Only a signal switches this on: a process.exit for any other reason exits straight away.
// With NEXT_MANUAL_SIG_HANDLE set, Next leaves signals alone and this hook does not drain
// requests either; do not set it.

type State = "running" | "draining" | "closing";

const g = globalThis as unknown as { tesseraShutdown?: { state: State } };

export function shutdownState(): State {
  return g.tesseraShutdown?.state ?? "running";
}

const CLOSE_BUDGET_MS = 6_000;

async function closeResources(): Promise<void> {
  const started = performance.now();
  const closed = { database: "closed", redis: "closed" };
  await Promise.all([
    closeDb().catch((err) => {
      closed.database = `error: ${err instanceof Error ? err.message : String(err)}`;
    }),
    closeRedis().catch((err) => {
      closed.redis = `error: ${err instanceof Error ? err.message : String(err)}`;
    }),
  ]);
  log.info("shutdown.closed", { ...closed, ms: Math.round(performance.now() - started), pid: process.pid });
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    p.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function installGracefulShutdown(opts: { timeoutMs?: number } = {}) {
  if (g.tesseraShutdown) return;
  const shared = { state: "running" as State };
  g.tesseraShutdown = shared;
  const timeoutMs = opts.timeoutMs ?? 25_000;
  const realExit = process.exit.bind(process);
  let closing: Promise<void> | null = null;

  const closeThenExit = (code: number | string | null | undefined) => {
    shared.state = "closing";
    closing ??= withTimeout(closeResources(), CLOSE_BUDGET_MS);
    void closing.then(() => realExit(code ?? 0));
  };

  process.exit = ((code?: number | string | null) => {
    if (shared.state === "running") return realExit(code ?? undefined);
    closeThenExit(code);
    return undefined as never;
  }) as typeof process.exit;

  const onSignal = (signal: NodeJS.Signals) => {
    if (shared.state !== "running") return;
    shared.state = "draining";
    log.info("shutdown.signal", { signal, pid: process.pid, message: "no new connections; finishing requests in flight" });
    // If nothing exits the process in time (a stuck request, or no server that drains), do it here.
    setTimeout(() => {
      log.warn("shutdown.timeout", { timeoutMs, pid: process.pid });
      closeThenExit(1);
    }, timeoutMs).unref();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
