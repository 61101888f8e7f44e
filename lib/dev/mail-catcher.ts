import fs from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { CaughtMail } from "./caught-mail";

// A local SMTP server that keeps every message instead of delivering it: `npm run dev` sends
// the app's mail here (shown at /dev/mail), and the tests read what the app sent. Each message
// is stored as <dir>/<id>.eml (the raw message) and <id>.json (parsed, with inline images
// turned into data: URLs so the HTML shows as sent), attachments beside them. Loopback only.

export type MailCatcher = { url: string; port: number; dir: string; count: () => number; stop: () => Promise<void> };

type Options = {
  port: number;
  dir: string;
  // Tests: runs after a message is stored and before the server answers "250 OK" (a slow
  // server, or one that dies after receiving), and can refuse it by throwing.
  beforeAccept?: (mail: CaughtMail) => Promise<void> | void;
};

let seq = 0;

export async function startMailCatcher(opts: Options): Promise<MailCatcher> {
  fs.mkdirSync(opts.dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    banner: "Tessera mail catcher",
    size: 25 * 1024 * 1024,
    logger: false,
    closeTimeout: 500, // stop() must not wait for clients' idle pooled connections
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        try {
          const raw = Buffer.concat(chunks);
          const mail = await store(opts.dir, raw, {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          count++;
          await opts.beforeAccept?.(mail);
          callback();
        } catch (err) {
          callback(err instanceof Error ? err : new Error(String(err)));
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });
  server.on("error", () => {}); // a client that hangs up mid-message is not our problem
  return {
    url: `smtp://127.0.0.1:${opts.port}`,
    port: opts.port,
    dir: opts.dir,
    count: () => count,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function store(dir: string, raw: Buffer, envelope: { from: string; to: string[] }): Promise<CaughtMail> {
  const id = `${Date.now().toString().padStart(14, "0")}-${process.pid}-${String(++seq).padStart(6, "0")}`;
  const parsed = await simpleParser(raw);
  let html = typeof parsed.html === "string" ? parsed.html : null;
  const attachments: CaughtMail["attachments"] = [];
  for (const [i, a] of parsed.attachments.entries()) {
    const file = `${id}-${i}-${(a.filename ?? "part").replace(/[^A-Za-z0-9._-]/g, "_")}`;
    fs.writeFileSync(path.join(dir, file), a.content);
    const cid = a.contentId?.replace(/^<|>$/g, "");
    if (cid && html) html = html.split(`cid:${cid}`).join(`data:${a.contentType};base64,${a.content.toString("base64")}`);
    attachments.push({
      filename: a.filename ?? `part-${i}`,
      contentType: a.contentType,
      size: a.size,
      file,
      cid: cid ?? null,
      inline: a.contentDisposition === "inline",
    });
  }
  const address = (v: typeof parsed.to) => (Array.isArray(v) ? v.map((x) => x.text).join(", ") : (v?.text ?? ""));
  const mail: CaughtMail = {
    id,
    receivedAt: new Date().toISOString(),
    envelope,
    messageId: parsed.messageId ?? null,
    outboxId: String(parsed.headers.get("x-tessera-outbox-id") ?? "") || null,
    from: address(parsed.from as typeof parsed.to),
    to: address(parsed.to),
    subject: parsed.subject ?? "",
    text: parsed.text ?? null,
    html,
    attachments,
  };
  fs.writeFileSync(path.join(dir, `${id}.eml`), raw);
  fs.writeFileSync(path.join(dir, `${id}.json.tmp`), JSON.stringify(mail));
  fs.renameSync(path.join(dir, `${id}.json.tmp`), path.join(dir, `${id}.json`)); // readers never see half a file
  return mail;
}
