import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { readCaughtMail, type CaughtMail } from "@/lib/dev/caught-mail";
import { startMailCatcher, type MailCatcher } from "@/lib/dev/mail-catcher";

// Mail in tests: a real SMTP catcher (the one `npm run dev` uses) on a loopback port, and
// readers for what it caught and what the outbox holds.

/** A free loopback port, synchronously usable in vi.hoisted (no await at module top). */
export function pickPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startTestCatcher(
  port: number,
  opts: { dir?: string; beforeAccept?: (m: CaughtMail) => Promise<void> | void } = {},
): Promise<MailCatcher> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "tessera-mail-"));
  return startMailCatcher({ port, dir, beforeAccept: opts.beforeAccept });
}

/** Caught messages whose envelope goes to one of `recipients`. */
export function caughtFor(dir: string, recipients: string[]): CaughtMail[] {
  const want = new Set(recipients.map((r) => r.toLowerCase()));
  return readCaughtMail(dir).filter((m) => m.envelope.to.some((t) => want.has(t.toLowerCase())));
}

export type OutboxRow = {
  id: number;
  kind: string;
  recipient: string;
  status: string;
  attempts: number;
  secret: string | null;
  message_id: string | null;
  last_error: string | null;
};

export async function outboxFor(recipients: string[]): Promise<OutboxRow[]> {
  return [
    ...(await db().execute<OutboxRow>(sql`
      SELECT id::int AS id, kind, recipient, status, attempts, secret, message_id, last_error FROM email_outbox
      WHERE lower(recipient) IN (SELECT lower(x) FROM unnest(${`{${recipients.map((r) => `"${r}"`).join(",")}}`}::text[]) AS x)
      ORDER BY id`)),
  ];
}

/** The link with `path` in a caught message's plain text. */
export function linkIn(mail: CaughtMail, pathPrefix: string): string {
  const m = (mail.text ?? "").match(new RegExp(`https?://[^\\s]*${pathPrefix.replace(/[/?]/g, "\\$&")}[^\\s]*`));
  if (!m) throw new Error(`no ${pathPrefix} link in "${mail.subject}":\n${mail.text}`);
  return m[0];
}
