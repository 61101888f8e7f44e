// Runs once when a Next.js server process starts (Next 15 instrumentation hook). Node runtime
// only: the edge runtime has no process signals, pools or sockets. The check must wrap the
// imports (not return early) so an edge bundle leaves these modules out.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installSocketAddressStamp } = await import("./lib/security/socket-address");
    installSocketAddressStamp();
    const { installGracefulShutdown } = await import("./lib/shutdown");
    installGracefulShutdown();
    // Outgoing email: this process delivers the outbox too (lib/mail/loop.ts).
    const { startMailLoop } = await import("./lib/mail/loop");
    startMailLoop();
  }
}
