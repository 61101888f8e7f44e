import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

// One pooled SMTP transport per process (a few connections reused across messages). Timeouts
// are far below the worker's lease, so a message is never still being sent when another worker
// may take it over.

export const SEND_TIMEOUT_MS = 20_000;

let cached: { url: string; transport: Transporter } | undefined;

export function mailTransport(): Transporter | null {
  const url = env().SMTP_URL;
  if (!url) return null;
  if (cached?.url !== url) {
    cached?.transport.close();
    cached = {
      url,
      transport: nodemailer.createTransport({
        url,
        pool: true,
        maxConnections: 3,
        connectionTimeout: 5_000,
        greetingTimeout: 5_000,
        socketTimeout: SEND_TIMEOUT_MS,
      } as nodemailer.TransportOptions),
    };
  }
  return cached.transport;
}

export function mailFrom(): string {
  return env().MAIL_FROM ?? "Tessera <tickets@tessera.test>";
}

/** The domain for Message-IDs: the sender's. */
export function messageIdDomain(): string {
  const m = mailFrom().match(/@([A-Za-z0-9.-]+)/);
  return m ? m[1] : "tessera.test";
}

export function closeMailTransport() {
  cached?.transport.close();
  cached = undefined;
}
