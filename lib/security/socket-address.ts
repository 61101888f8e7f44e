import diagnostics from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

// `next start` gives route handlers, server actions and middleware the request's headers but
// never its socket, so the TCP peer's address is out of their reach. Node publishes every
// incoming request on the `http.server.request.start` diagnostics channel before the server's
// own handler sees it: stamp the peer's address on a request header there, overwriting whatever
// the client sent under that name (a client cannot choose it). Installed once per process, before
// the server listens: next.config.ts does it when `next start` loads the configuration (the
// instrumentation hook runs only with the first request, too late for that one), and
// instrumentation.ts for servers that never run next.config.ts (standalone output).
// lib/security/client-address.ts reads the header only when this ran. No "@/" imports here:
// next.config.ts loads this file outside the app's bundler.

/** Request header carrying the TCP peer's address; always overwritten by the server, never the client's. */
export const SOCKET_ADDRESS_HEADER = "x-tessera-socket-address";

const INSTALLED = Symbol.for("tessera.socket-address-stamp");
const flags = globalThis as unknown as Record<symbol, boolean | undefined>;

/** Whether this process stamps requests (so the header can be believed). */
export function socketStampInstalled(): boolean {
  return flags[INSTALLED] === true;
}

type RequestStart = { request: IncomingMessage; socket: Socket };

export function installSocketAddressStamp() {
  if (socketStampInstalled()) return; // one subscriber per process, whichever bundle asks first
  diagnostics.subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as RequestStart;
    request.headers[SOCKET_ADDRESS_HEADER] = socket.remoteAddress ?? "";
  });
  flags[INSTALLED] = true;
}
