import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalAddress, clientAddress, SOCKET_ADDRESS_HEADER } from "@/lib/security/client-address";
import { startApp, type App } from "../helpers/app";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../helpers/fixtures";
import { roomEvent } from "../helpers/waiting-room";

// Per-address limits must count the real client, whatever it writes into X-Forwarded-For.
// With TRUSTED_PROXY_HOPS=0 the app is reached directly: the TCP peer's address counts and every
// forwarding header is ignored. With N proxies, the N-th X-Forwarded-For entry from the right
// counts (the one the outermost proxy appended); entries to its left are the client's own text.

const forged = (i: number) => ({ "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `203.0.113.${i}`, [SOCKET_ADDRESS_HEADER]: `192.0.2.${i}` });

describe("clientAddress (the rule)", () => {
  const h = (xff: string | null, socket?: string) => {
    const headers = new Headers();
    if (xff !== null) headers.set("x-forwarded-for", xff);
    if (socket) headers.set(SOCKET_ADDRESS_HEADER, socket);
    return headers;
  };

  it("counts hops from the right: what the client wrote on the left never counts", () => {
    expect(clientAddress(h("6.6.6.6, 198.51.100.7"), 1)).toBe("198.51.100.7");
    expect(clientAddress(h("6.6.6.6,7.7.7.7, 198.51.100.7, 10.0.0.2"), 2)).toBe("198.51.100.7");
    expect(clientAddress(h("198.51.100.7"), 1)).toBe("198.51.100.7");
    // Fewer entries than proxies: the leftmost known entry.
    expect(clientAddress(h("198.51.100.7"), 2)).toBe("198.51.100.7");
  });

  it("one spelling per client: ports, brackets, IPv4-mapped IPv6; IPv6 by its /64", () => {
    expect(canonicalAddress("198.51.100.7:5123")).toBe("198.51.100.7");
    expect(canonicalAddress("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(canonicalAddress("[2001:DB8:1:2::5]:443")).toBe("2001:db8:1:2::/64");
    expect(canonicalAddress("2001:db8:1:2:ffff:0:0:9")).toBe("2001:db8:1:2::/64");
    expect(canonicalAddress("2001:0db8:0001:0002::1")).toBe("2001:db8:1:2::/64");
    expect(canonicalAddress("unknown")).toBeNull();
    expect(canonicalAddress("<script>")).toBeNull();
  });

  it("without a trustworthy address, every such client shares one bucket instead of choosing its own", () => {
    expect(clientAddress(h("6.6.6.6"), 0)).toBe("unknown"); // no stamp installed in this process
    expect(clientAddress(h("garbage"), 1)).toBe("unknown");
  });
});

// Over HTTP, against `next start`. Each test speaks from its own loopback address (127.0.0.0/8
// is all loopback on Linux), so the socket address is known and not shared with other files.
function fromAddress(localAddress: string) {
  const dispatcher = new Agent({ localAddress });
  return (url: string, init: { method?: string; headers?: Record<string, string>; json?: unknown } = {}) =>
    undiciFetch(url, {
      method: init.method ?? (init.json === undefined ? "GET" : "POST"),
      headers: { ...(init.json === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      redirect: "manual",
      dispatcher,
    });
}
const loopback = () => `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

const LIMITS = { RATE_LIMIT_LOGIN_IP: "3/3600", RATE_LIMIT_LOGIN_ACCOUNT: "1000/60", RATE_LIMIT_REGISTER: "2/3600", RATE_LIMIT_QUEUE_JOIN: "2/3600" };

describe("no proxy (TRUSTED_PROXY_HOPS=0): the socket address counts", () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ env: { ...LIMITS, TRUSTED_PROXY_HOPS: "0" } });
    await fetch(`${app.url}/api/v1/health`); // requests taken while the server still boots are not stamped
  });
  afterAll(() => app?.stop());

  it("sign-in: rotating X-Forwarded-For, X-Real-IP or the socket header does not buy more guesses", async () => {
    const send = fromAddress(loopback());
    const u = await createUser();
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const r = await send(`${app.url}/api/v1/auth/login`, { json: { email: u.email, password: "wrong-password-1" }, headers: forged(i) });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another client (another socket address) is not affected.
    const other = await fromAddress(loopback())(`${app.url}/api/v1/auth/login`, { json: { email: u.email, password: TEST_PASSWORD } });
    expect(other.status).toBe(200);
  });

  it("sign-up and places in a waiting room's line: the same", async () => {
    const send = fromAddress(loopback());
    const reg: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const r = await send(`${app.url}/api/v1/auth/register`, {
        json: { email: uniqueEmail("addr"), password: TEST_PASSWORD, name: "Address tester" },
        headers: forged(i),
      });
      reg.push(r.status);
    }
    expect(reg).toEqual([201, 201, 429]);

    const { event } = await roomEvent({ opensInMs: 60_000, rate: 10 });
    const join: number[] = [];
    for (let i = 1; i <= 3; i++) join.push((await send(`${app.url}/api/v1/events/${event.id}/queue`, { method: "POST", headers: forged(i) })).status);
    expect(join).toEqual([200, 200, 429]);
  });
});

describe("one proxy (TRUSTED_PROXY_HOPS=1): the entry it appended counts", () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ env: { ...LIMITS, TRUSTED_PROXY_HOPS: "1" } });
  });
  afterAll(() => app?.stop());

  it("a client that prepends its own entries is still counted by the proxy's", async () => {
    const send = fromAddress(loopback());
    const u = await createUser();
    const real = `198.18.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const r = await send(`${app.url}/api/v1/auth/login`, {
        json: { email: u.email, password: "wrong-password-1" },
        headers: { "x-forwarded-for": `203.0.113.${i}, ${real}`, [SOCKET_ADDRESS_HEADER]: `192.0.2.${i}` },
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
