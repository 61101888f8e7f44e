// Runs once when a Next.js server process starts (Next 15 instrumentation hook). Node runtime
// only: the edge runtime (middleware) has no process signals, pools or sockets to close. The
// check must wrap the import (not return early) so the edge bundle leaves lib/shutdown out.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installGracefulShutdown } = await import("./lib/shutdown");
    installGracefulShutdown();
    // Outgoing email: this process delivers the outbox too (lib/mail/loop.ts).
    const { startMailLoop } = await import("./lib/mail/loop");
    startMailLoop();
  }
}
