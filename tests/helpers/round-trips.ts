import net from "node:net";

// A counting TCP proxy for PostgreSQL or Redis: the app connects to it instead of the server,
// and it counts round trips as the server sees them. A round trip is a flight: the client sends
// (one or more packets, any number of pipelined messages) after the server last spoke. Connection
// set-up is left out (PostgreSQL's startup and password exchange; Redis's ready check and client
// setup), so a new pool connection does not count against the request that opened it, but every
// query or command it carries does. The proxy also records what each flight carried (SQL of
// Parse/Query messages, Redis command names) so a failing budget says where the trips went.

type Kind = "postgres" | "redis";

export type Tally = { roundTrips: number; connections: number; messages: string[] };

const REDIS_SETUP = new Set(["INFO", "CLIENT", "SELECT", "HELLO", "AUTH", "READONLY", "CLUSTER"]);

class Conn {
  buf = Buffer.alloc(0);
  started = false; // PostgreSQL: the startup message has been read
  lastFromClient = false;
  statements = new Map<string, string>(); // PostgreSQL: prepared statement name -> SQL

  constructor(
    readonly kind: Kind,
    readonly proxy: CountingProxy,
  ) {}

  fromServer() {
    this.lastFromClient = false;
  }

  fromClient(chunk: Buffer) {
    this.buf = Buffer.concat([this.buf, chunk]);
    const messages = this.kind === "postgres" ? this.readPostgres() : this.readRedis();
    const counted = messages.filter((m) => m !== null) as string[];
    if (counted.length === 0) return;
    if (!this.lastFromClient) this.proxy.roundTrips++;
    this.lastFromClient = true;
    this.proxy.messages.push(...counted);
  }

  // Frontend messages: type byte + int32 length (which includes itself). The very first message
  // (startup or SSL request) has no type byte. Returns null for set-up messages.
  private readPostgres(): (string | null)[] {
    const out: (string | null)[] = [];
    for (;;) {
      if (!this.started) {
        if (this.buf.length < 8) return out;
        const len = this.buf.readInt32BE(0);
        if (this.buf.length < len) return out;
        const code = this.buf.readInt32BE(4);
        this.buf = this.buf.subarray(len);
        if (code !== 80877103) this.started = true; // not an SSLRequest: the startup message
        out.push(null);
        continue;
      }
      if (this.buf.length < 5) return out;
      const type = String.fromCharCode(this.buf[0]);
      const len = this.buf.readInt32BE(1);
      if (this.buf.length < len + 1) return out;
      const body = this.buf.subarray(5, len + 1);
      this.buf = this.buf.subarray(len + 1);
      if (type === "p" || type === "X") out.push(null);
      else if (type === "P") {
        const nameEnd = body.indexOf(0);
        const name = body.subarray(0, nameEnd).toString();
        const text = body.subarray(nameEnd + 1, body.indexOf(0, nameEnd + 1)).toString();
        if (name) this.statements.set(name, text);
        out.push(`${name ? "prepare" : "parse"}: ${oneLine(text)}`);
      } else if (type === "B") {
        const portalEnd = body.indexOf(0);
        const name = body.subarray(portalEnd + 1, body.indexOf(0, portalEnd + 1)).toString();
        out.push(name ? `execute prepared: ${oneLine(this.statements.get(name) ?? name)}` : "");
      } else if (type === "Q") out.push(`query: ${oneLine(body.subarray(0, body.length - 1).toString())}`);
      else out.push("");
    }
  }

  // RESP arrays of bulk strings (what ioredis sends). Returns the command names; null for set-up.
  private readRedis(): (string | null)[] {
    const out: (string | null)[] = [];
    for (;;) {
      const parsed = parseRespArray(this.buf);
      if (!parsed) return out;
      this.buf = this.buf.subarray(parsed.used);
      const name = (parsed.items[0] ?? "").toUpperCase();
      out.push(REDIS_SETUP.has(name) ? null : name);
    }
  }
}

function oneLine(sql: string) {
  return sql.replace(/\s+/g, " ").trim().slice(0, 140);
}

function parseRespArray(buf: Buffer): { items: string[]; used: number } | null {
  if (buf.length === 0) return null;
  let pos = 0;
  const line = () => {
    const end = buf.indexOf("\r\n", pos);
    if (end < 0) return null;
    const s = buf.subarray(pos, end).toString();
    pos = end + 2;
    return s;
  };
  const head = line();
  if (head === null) return null;
  if (!head.startsWith("*")) return { items: head.split(" "), used: pos }; // inline command
  const n = Number(head.slice(1));
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const size = line();
    if (size === null) return null;
    const len = Number(size.slice(1));
    if (buf.length < pos + len + 2) return null;
    items.push(i === 0 ? buf.subarray(pos, pos + len).toString() : "");
    pos += len + 2;
  }
  return { items, used: pos };
}

export class CountingProxy {
  roundTrips = 0;
  connections = 0;
  messages: string[] = [];
  private server = net.createServer((client) => this.accept(client));
  private sockets = new Set<net.Socket>();

  private constructor(
    readonly kind: Kind,
    readonly target: { host: string; port: number },
  ) {}

  static async start(kind: Kind, target: { host: string; port: number }): Promise<CountingProxy & { port: number }> {
    const p = new CountingProxy(kind, target);
    await new Promise<void>((resolve) => p.server.listen(0, "127.0.0.1", resolve));
    return Object.assign(p, { port: (p.server.address() as net.AddressInfo).port });
  }

  private accept(client: net.Socket) {
    this.connections++;
    const conn = new Conn(this.kind, this);
    const upstream = net.connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.setNoDelay(true);
      s.on("close", () => this.sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("data", (d) => {
      conn.fromClient(d);
      upstream.write(d);
    });
    upstream.on("data", (d) => {
      conn.fromServer();
      client.write(d);
    });
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
  }

  /** What happened since the last take(): round trips, new connections, and what they carried. */
  take(): Tally {
    const t = { roundTrips: this.roundTrips, connections: this.connections, messages: this.messages.filter(Boolean) };
    this.roundTrips = 0;
    this.connections = 0;
    this.messages = [];
    return t;
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The same URL, pointing at the proxy (postgres:// or redis://). */
export function viaProxy(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(port);
  return u.toString();
}
