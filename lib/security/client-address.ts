import { isIP } from "node:net";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { SOCKET_ADDRESS_HEADER, socketStampInstalled } from "./socket-address";

export { SOCKET_ADDRESS_HEADER };

// The client's address for per-address limits (sign-in, sign-up, browsing, places in a waiting
// room's line). X-Forwarded-For is a list each proxy appends to, so only its right end is
// trustworthy: with TRUSTED_PROXY_HOPS=N the address is the N-th entry from the right (the one
// the outermost of our N proxies wrote). With 0 (no proxy) the header is ignored and the TCP
// peer's address is used, which `next start` does not hand to application code: the server
// stamps it on every request (lib/security/socket-address.ts). The README ("Client addresses
// behind proxies") lists the right value for Vercel, nginx and cloud load balancers.

let warnedUnknown = false;

/** The client address of a request, as a canonical key for rate limits. */
export function clientAddress(headers: Headers, hops = env().TRUSTED_PROXY_HOPS): string {
  if (hops > 0) {
    const entries = (headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    // Fewer entries than proxies: the request skipped one (or a proxy does not append); the
    // leftmost entry is then the best we know. The app must not be reachable around its proxies.
    const picked = entries.length >= hops ? entries[entries.length - hops] : entries[0];
    const address = picked && canonicalAddress(picked);
    if (address) return address;
  }
  const socket = socketStampInstalled() ? headers.get(SOCKET_ADDRESS_HEADER) : null;
  const address = socket && canonicalAddress(socket);
  if (address) return address;
  if (!warnedUnknown) {
    warnedUnknown = true;
    log.warn("client_address.unknown", {
      hint: "No client address: set TRUSTED_PROXY_HOPS to the number of proxies in front of the app (README). All such clients share one limit.",
    });
  }
  return "unknown";
}

/**
 * One spelling per client: ports and brackets dropped, IPv4-mapped IPv6 as IPv4, and IPv6
 * reduced to its /64 (one subscriber usually holds a whole /64, so a per-address limit on single
 * IPv6 addresses would let one person rotate through 2^64 of them). Garbage gives null.
 */
export function canonicalAddress(raw: string): string | null {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  s = s.replace(/%.*$/, ""); // IPv6 zone id
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  if (mapped) s = mapped[1];
  const kind = isIP(s);
  if (kind === 4) return s.split(".").map(Number).join(".");
  if (kind === 6) return `${ipv6Groups(s).slice(0, 4).join(":")}::/64`;
  return null;
}

function ipv6Groups(s: string): string[] {
  let text = s.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split(".").map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === null ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}
