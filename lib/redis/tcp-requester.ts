import type { Requester, UpstashRequest, UpstashResponse } from "@upstash/redis";
import { createHash } from "node:crypto";
import IORedis, { type Cluster } from "ioredis";

// Lets @upstash/redis's `Redis` class (and so @upstash/ratelimit) talk to an ordinary
// redis-server over TCP, one node (a URL) or a Redis Cluster (an ioredis Cluster client, see
// ./cluster.ts). The Upstash REST protocol sends a command as a JSON array of strings
// and answers { result } or { error }; a pipeline is an array of commands answered by an array of
// such objects. Nil replies must come back as null (the client treats undefined as an error).

type Command = (string | number)[];

export class TcpRequester implements Requester {
  readonly client: IORedis | Cluster;

  constructor(target: string | Cluster, opts: { commandTimeoutMs: number }) {
    this.client = typeof target !== "string" ? target : singleNode(target, opts.commandTimeoutMs);
  }

  // On first use the connection may still be opening; later, while reconnecting, we fail fast.
  // One shared promise, so a burst of first requests adds one listener, not hundreds.
  private opening: Promise<void> | null = null;

  private firstConnect(): Promise<void> | void {
    if (this.client.status !== "connecting" && this.client.status !== "connect") return;
    this.opening ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off("ready", done);
        this.client.off("error", done);
        this.opening = null;
        resolve();
      };
      const timer = setTimeout(done, 1000);
      this.client.once("ready", done);
      this.client.once("error", done);
    });
    return this.opening;
  }

  async request<TResult = unknown>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
    await this.firstConnect();
    const path = req.path ?? [];
    if (path[0] === "pipeline" || path[0] === "multi-exec") {
      const commands = req.body as Command[];
      const results = await this.runMany(commands, path[0] === "multi-exec");
      return results as unknown as UpstashResponse<TResult>;
    }
    const [name, ...args] = this.rewrite(req.body as Command);
    try {
      const result = await this.client.call(String(name), ...args.map(String));
      return { result: normalise(result) as TResult };
    } catch (err) {
      if (isReplyError(err)) return { error: err.message };
      throw err;
    }
  }

  private async runMany(commands: Command[], atomic: boolean) {
    const batch = atomic ? this.client.multi() : this.client.pipeline();
    for (const [name, ...args] of commands.map((c) => this.rewrite(c))) batch.call(String(name), ...args.map(String));
    const replies = (await batch.exec()) ?? [];
    return replies.map(([err, result]) => (err ? { error: err.message } : { result: normalise(result) }));
  }

  // @upstash/ratelimit marks its scripts `#!lua flags=allow-key-locking`, a flag only Upstash
  // understands; open-source Redis refuses the whole script. We drop that flag and remember the
  // SHA the client computed for the original text, so its EVALSHA still finds the script.
  private readonly shaMap = new Map<string, string>();

  private rewrite(command: Command): Command {
    const name = String(command[0]).toLowerCase();
    if ((name === "eval" || name === "eval_ro") && typeof command[1] === "string" && command[1].startsWith("#!lua")) {
      const original = command[1];
      const script = stripUpstashFlags(original);
      if (script !== original) this.shaMap.set(sha1(original), sha1(script));
      return [command[0], script, ...command.slice(2)];
    }
    if ((name === "evalsha" || name === "evalsha_ro") && typeof command[1] === "string") {
      const mapped = this.shaMap.get(command[1]);
      if (mapped) return [command[0], mapped, ...command.slice(2)];
    }
    if (name === "script" && String(command[1]).toLowerCase() === "load" && typeof command[2] === "string") {
      const script = stripUpstashFlags(command[2]);
      if (script !== command[2]) this.shaMap.set(sha1(command[2]), sha1(script));
      return [command[0], command[1], script];
    }
    return command;
  }

  async quit() {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

function singleNode(url: string, commandTimeoutMs: number) {
  const client = new IORedis(url, {
    // Fail fast when the server is away instead of queueing: Redis is only an accelerator.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 1000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
  // Errors surface on each command; without a listener ioredis would also print them all.
  client.on("error", () => {});
  return client;
}

function sha1(text: string) {
  return createHash("sha1").update(text).digest("hex");
}

function stripUpstashFlags(script: string): string {
  return script.replace(/^#!lua flags=([^\n]*)/, (_line, flags: string) => {
    const kept = flags
      .split(",")
      .map((f) => f.trim())
      .filter((f) => f && f !== "allow-key-locking");
    return kept.length ? `#!lua flags=${kept.join(",")}` : "#!lua";
  });
}

function normalise(value: unknown): unknown {
  if (value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  if (Array.isArray(value)) return value.map(normalise);
  return value;
}

function isReplyError(err: unknown): err is Error {
  return err instanceof Error && err.name === "ReplyError";
}
