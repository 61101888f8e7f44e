// The production server (`npm start`): the built app served by one Next.js process per CPU core
// behind one port. A Node.js process runs JavaScript on one core; on a machine with more cores a
// single `next start` leaves the rest to PostgreSQL and Redis at best (bench/README.md). Here the
// primary process forks WEB_CONCURRENCY workers (default: every core) with node:cluster; each
// runs exactly what `next start` runs (Next's own startServer), and the primary hands incoming
// connections to them in turn. The app keeps no state a request depends on in its process (the
// README's "Deploy"), so nothing else changes: every worker has its own pools, caches and
// graceful shutdown (lib/shutdown.ts).
//
//   node server/start.mjs [-p PORT] [-H HOSTNAME] [--keepAliveTimeout MS]
//   PORT, HOSTNAME, WEB_CONCURRENCY (workers; 1 = a single process, as `next start`)
//
// Signals: SIGTERM/SIGINT to the primary is passed to every worker; each stops taking connections,
// finishes its requests, closes its pools and exits; the primary exits when all have (0 if all
// exited 0). A worker that dies on its own is replaced; one that fails before it ever listened
// (a bad environment, a missing build) stops the whole server with its exit code, like `next start`.
//
// This file runs before the app exists, so it reads its few settings from the environment itself;
// lib/env.ts declares WEB_CONCURRENCY as well and validates it in every worker.

import cluster from "node:cluster";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);
const dir = path.resolve(import.meta.dirname, "..");

// Keep idle keep-alive connections longer than the proxies and load balancers in front usually
// do (60 s on AWS ALB, nginx's upstream keepalive_timeout is shorter): the side that closes an
// idle connection first must be the client's, or a request sent on it as it closes is reset.
const DEFAULT_KEEP_ALIVE_MS = 65_000;
// Connections waiting to be accepted while every worker is busy. Node's default (511) overflows
// when thousands of visitors arrive at once; the kernel caps it at net.core.somaxconn.
const LISTEN_BACKLOG = 4096;
const SHUTDOWN_DEADLINE_MS = 30_000;

function settings(argv, env) {
  const arg = (...names) => {
    const i = argv.findIndex((a) => names.includes(a));
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (value, fallback, what) => {
    if (value === undefined || value === "") return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
      console.error(`Tessera cannot start: ${what} must be a whole number (got "${value}").`);
      process.exit(1);
    }
    return n;
  };
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return {
    port: int(arg("-p", "--port") ?? env.PORT, 3000, "the port"),
    hostname: arg("-H", "--hostname") ?? env.HOSTNAME,
    keepAliveTimeout: int(arg("--keepAliveTimeout"), DEFAULT_KEEP_ALIVE_MS, "--keepAliveTimeout"),
    workers: Math.max(1, int(env.WEB_CONCURRENCY, cores, "WEB_CONCURRENCY")),
  };
}

/** What `next start` does in its process: the same environment, then Next's own startServer. */
async function serve(s) {
  process.env.NODE_ENV ||= "production";
  process.env.NEXT_RUNTIME = "nodejs";
  performance.mark("next-start"); // startServer reports its start-up time from this mark
  // Tune the one HTTP server startServer creates: headers must be allowed longer than idle
  // keep-alive (else Node may cut a request that starts just before the keep-alive ends), and
  // the listen backlog raised.
  const create = http.createServer;
  http.createServer = function (...args) {
    http.createServer = create;
    const server = create.apply(this, args);
    server.headersTimeout = s.keepAliveTimeout + 5_000;
    const listen = server.listen;
    server.listen = function (port, host, ...rest) {
      if (typeof port === "number" && rest.length === 0) return listen.call(this, { port, host, backlog: LISTEN_BACKLOG });
      return listen.call(this, port, host, ...rest);
    };
    drainOnSignal(server);
    return server;
  };
  const { startServer } = require("next/dist/server/lib/start-server.js");
  // Resolves once the app is ready to answer (its configuration and environment checked).
  await startServer({ dir, isDev: false, hostname: s.hostname, port: s.port, keepAliveTimeout: s.keepAliveTimeout, allowRetry: false });
  if (cluster.isWorker) process.send?.({ tessera: "ready" });
}

// On SIGTERM Next's own handler closes the server and waits for its connections to end, but a
// kept-alive connection only ends when idle for keepAliveTimeout (65 s here): every answer from
// then on says "Connection: close" and idle connections are closed at once, so the worker exits
// as soon as its last request is answered. Registered before Next's handler, so it runs first.
function drainOnSignal(server) {
  let draining = false;
  const active = new Set();
  server.on("request", (_req, res) => {
    if (draining) res.shouldKeepAlive = false;
    active.add(res);
    res.on("close", () => active.delete(res));
  });
  const drain = () => {
    if (draining) return;
    draining = true;
    server.keepAliveTimeout = 1;
    for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
    server.closeIdleConnections();
  };
  process.once("SIGTERM", drain);
  process.once("SIGINT", drain);
}

function primary(s) {
  let stopping = false;
  let exitCode = 0;
  const ready = new Set();
  const fork = () => cluster.fork();
  cluster.on("message", (w, message) => message?.tessera === "ready" && ready.add(w.id));
  cluster.on("exit", (w, code, signal) => {
    const wasReady = ready.delete(w.id);
    if (code) exitCode = exitCode || code;
    if (!stopping && !wasReady) {
      console.error(`Tessera: worker ${w.process.pid} failed to start (exit ${code ?? signal}); stopping.`);
      stop(code || 1);
    } else if (!stopping) {
      console.error(`Tessera: worker ${w.process.pid} exited (${code ?? signal}); starting another.`);
      setTimeout(fork, 500);
    }
    if (stopping && Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
  });
  const stop = (code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = exitCode || code;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGKILL");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
  };
  process.on("SIGTERM", () => stop());
  process.on("SIGINT", () => stop());
  console.log(`Tessera: ${s.workers} workers on port ${s.port}`);
  for (let i = 0; i < s.workers; i++) fork();
}

const s = settings(process.argv.slice(2), process.env);
if (cluster.isPrimary && s.workers > 1) primary(s);
else {
  // A worker whose primary is gone (killed outright) gets no more connections: leave cleanly.
  if (cluster.isWorker) process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
  await serve(s);
}
