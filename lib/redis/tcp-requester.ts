import type { Requester, UpstashRequest, UpstashResponse } from "@upstash/redis";
import IORedis from "ioredis";

// Lets @upstash/redis's `Redis` class (and so @upstash/ratelimit) talk to an ordinary
// redis-server over TCP. The Upstash REST protocol sends a command as a JSON array of strings
// and answers { result } or { error }; a pipeline is an array of commands answered by an array of
// such objects. Nil replies must come back as null (the client treats undefined as an error).

type Command = (string | number)[];

export class TcpRequester implements Requester {
  readonly client: IORedis;

  constructor(url: string, opts: { commandTimeoutMs: number }) {
    this.client = new IORedis(url, {
      // Fail fast when the server is away instead of queueing: Redis is only an accelerator.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs,
      connectTimeout: 1000,
      lazyConnect: false,
      retryStrategy: (times) => Math.min(100 * times, 2000),
    });
    // Errors surface on each command; without a listener ioredis would also print them all.
    this.client.on("error", () => {});
  }

  // On first use the connection may still be opening; later, while reconnecting, we fail fast.
  private async firstConnect() {
    if (this.client.status !== "connecting" && this.client.status !== "connect") return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off("ready", done);
        this.client.off("error", done);
        resolve();
      };
      const timer = setTimeout(done, 1000);
      this.client.once("ready", done);
      this.client.once("error", done);
    });
  }

  async request<TResult = unknown>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
    await this.firstConnect();
    const path = req.path ?? [];
    if (path[0] === "pipeline" || path[0] === "multi-exec") {
      const commands = req.body as Command[];
      const results = await this.runMany(commands, path[0] === "multi-exec");
      return results as unknown as UpstashResponse<TResult>;
    }
    const [name, ...args] = req.body as Command;
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
    for (const [name, ...args] of commands) batch.call(String(name), ...args.map(String));
    const replies = (await batch.exec()) ?? [];
    return replies.map(([err, result]) =>
      err ? { error: err.message } : { result: normalise(result) },
    );
  }

  async quit() {
    await this.client.quit().catch(() => this.client.disconnect());
  }
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
