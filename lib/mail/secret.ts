import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/env";

// Secrets that a queued message must carry (a password-reset token, a booking's private link)
// wait in the outbox encrypted (AES-256-GCM, key derived from AUTH_SECRET), and are cleared once
// the message is sent or given up. A database dump alone therefore never yields a working link.
// Rotating AUTH_SECRET makes queued secrets unreadable: such a message is given up (DEAD).

let cached: { secret: string; key: Buffer } | undefined;

function key(): Buffer {
  const secret = env().AUTH_SECRET!;
  if (cached?.secret !== secret) cached = { secret, key: Buffer.from(crypto.hkdfSync("sha256", secret, "tessera", "outbox-secret-v1", 32)) };
  return cached.key;
}

export function sealSecret(value: Record<string, string>): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key(), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export class UnreadableSecret extends Error {}

export function openSecret(sealed: string | null): Record<string, string> {
  if (!sealed) return {};
  const [v, iv, body, tag] = sealed.split(".");
  if (v !== "v1" || !iv || !body || !tag) throw new UnreadableSecret("malformed outbox secret");
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const text = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    return JSON.parse(text) as Record<string, string>;
  } catch {
    throw new UnreadableSecret("the outbox secret cannot be decrypted (was AUTH_SECRET rotated?)");
  }
}
