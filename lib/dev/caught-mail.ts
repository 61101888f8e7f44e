import fs from "node:fs";
import path from "node:path";

// Reading what the development mail catcher (lib/dev/mail-catcher.ts) stored: for the /dev/mail
// page and for tests. Only the file system, so the app can read caught mail without loading the
// SMTP server.

export type CaughtMail = {
  id: string;
  receivedAt: string;
  envelope: { from: string; to: string[] };
  messageId: string | null;
  outboxId: string | null;
  from: string;
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
  attachments: { filename: string; contentType: string; size: number; file: string; cid: string | null; inline: boolean }[];
};

const ID = /^[0-9]{14}-[0-9]+-[0-9]{6}$/;

/** Every caught message, oldest first. */
export function readCaughtMail(dir: string): CaughtMail[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as CaughtMail);
}

export function readCaughtMessage(dir: string, id: string): CaughtMail | null {
  if (!ID.test(id)) return null; // ids only: never a path from the URL
  const file = path.join(dir, `${id}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as CaughtMail) : null;
}

/** An attachment's bytes, by the file name the catcher gave it (checked against the message). */
export function readCaughtAttachment(dir: string, id: string, index: number): { content: Buffer; contentType: string; filename: string } | null {
  const mail = readCaughtMessage(dir, id);
  const a = mail?.attachments[index];
  if (!a) return null;
  return { content: fs.readFileSync(path.join(dir, a.file)), contentType: a.contentType, filename: a.filename };
}
