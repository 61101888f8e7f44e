import "server-only";
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { env } from "@/lib/env";
import { isDatabaseUnavailable } from "@/lib/errors";
import { log } from "@/lib/log";
import { mailRecipientScope } from "@/lib/test-switches";
import { UnreadableSecret, openSecret } from "./secret";
import { renderMail } from "./templates";
import { mailFrom, mailTransport, messageIdDomain } from "./transport";

// The outbox worker: claims due messages with FOR UPDATE SKIP LOCKED and a lease, renders and
// sends each over SMTP, and marks it SENT only while it still holds the lease. Several app
// processes and the cron tick may run it at once: a message is claimed by one of them at a
// time. A failure schedules a retry with exponential backoff; a permanent refusal or too many
// attempts gives up (DEAD). Delivery is at least once: a process that dies after the SMTP
// server accepted a message but before marking it sends it again once the lease ends — with the
// same Message-ID, so the receiving side can recognise the duplicate (docs/operations.md).

export const MAX_ATTEMPTS = 20;
const MAX_BACKOFF_MS = 60 * 60 * 1000;

type Claimed = { id: number; kind: string; recipient: string; payload: Record<string, unknown>; secret: string | null; message_id: string; attempts: number };
export type DeliveryResult = { claimed: number; sent: number; failed: number; dead: number; lost: number; skipped?: string };

export function backoffMs(attempts: number, base = env().MAIL_RETRY_BASE_MS): number {
  const exp = Math.min(MAX_BACKOFF_MS, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.8 + Math.random() * 0.4)); // jitter: retries of many messages spread out
}

async function claim(limit: number, token: string): Promise<Claimed[]> {
  const lease = env().MAIL_LEASE_SECONDS;
  const domain = messageIdDomain();
  const scope = mailRecipientScope();
  return [
    ...(await db().execute<Claimed>(sql`
      WITH due AS (
        SELECT id FROM email_outbox
        WHERE status = 'PENDING' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until <= now())
          ${scope ? sql`AND recipient LIKE ${scope}` : sql``}
        ORDER BY next_attempt_at, id LIMIT ${limit}::int
        FOR UPDATE SKIP LOCKED
      )
      UPDATE email_outbox o
      SET lease_until = now() + make_interval(secs => ${lease}::int), lease_token = ${token}::uuid, attempts = o.attempts + 1,
          message_id = coalesce(o.message_id, '<outbox.' || o.id || '.' || extract(epoch from o.created_at)::bigint || '@' || ${domain}::text || '>')
      FROM due WHERE o.id = due.id
      RETURNING o.id::int AS id, o.kind, o.recipient, o.payload, o.secret, o.message_id, o.attempts`)),
  ];
}

/** Renews the lease just before sending; false if another worker claimed it meanwhile (a claim sets a new token). */
async function stillOurs(id: number, token: string): Promise<boolean> {
  const rows = await db().execute(sql`
    UPDATE email_outbox SET lease_until = now() + make_interval(secs => ${env().MAIL_LEASE_SECONDS}::int)
    WHERE id = ${id} AND lease_token = ${token}::uuid AND status = 'PENDING'
    RETURNING id`);
  return rows.length === 1;
}

async function markSent(id: number, token: string): Promise<boolean> {
  // A database blip right after the SMTP server accepted must not turn into a resend: retry.
  for (let attempt = 0; ; attempt++) {
    try {
      const rows = await db().execute(sql`
        UPDATE email_outbox SET status = 'SENT', sent_at = now(), secret = NULL, lease_until = NULL, lease_token = NULL, last_error = NULL
        WHERE id = ${id} AND lease_token = ${token}::uuid
        RETURNING id`);
      return rows.length === 1;
    } catch (err) {
      if (attempt >= 4 || !isDatabaseUnavailable(err)) throw err;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}

async function markFailed(m: Claimed, token: string, error: string, permanent: boolean): Promise<"dead" | "retry"> {
  const dead = permanent || m.attempts >= MAX_ATTEMPTS;
  await db().execute(sql`
    UPDATE email_outbox
    SET status = ${dead ? "DEAD" : "PENDING"}::outbox_status, lease_until = NULL, lease_token = NULL, last_error = ${error.slice(0, 500)},
        next_attempt_at = now() + make_interval(secs => ${backoffMs(m.attempts) / 1000}::double precision),
        secret = CASE WHEN ${dead} THEN NULL ELSE secret END
    WHERE id = ${m.id} AND lease_token = ${token}::uuid`);
  return dead ? "dead" : "retry";
}

/** SMTP answers that will not change on retry: no such mailbox, address refused. */
function isPermanent(err: unknown): boolean {
  if (err instanceof UnreadableSecret) return true;
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === "number" && code >= 550 && code <= 553;
}

async function deliverOne(m: Claimed, token: string, totals: DeliveryResult) {
  const transport = mailTransport()!;
  try {
    if (!(await stillOurs(m.id, token))) {
      totals.lost++;
      return;
    }
    const message = await renderMail(m.kind, m.payload, openSecret(m.secret));
    await transport.sendMail({
      from: mailFrom(),
      to: m.recipient,
      messageId: m.message_id,
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachments: message.attachments,
      headers: { "X-Tessera-Outbox-Id": String(m.id) },
    });
    if (await markSent(m.id, token)) totals.sent++;
    else {
      totals.lost++;
      log.warn("mail.lease_lost_after_send", { id: m.id, messageId: m.message_id });
    }
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const outcome = await markFailed(m, token, error, isPermanent(err)).catch(() => "retry" as const);
    if (outcome === "dead") totals.dead++;
    else totals.failed++;
    log.warn("mail.delivery_failed", { id: m.id, kind: m.kind, attempts: m.attempts, outcome, error });
  }
}

/**
 * Delivers what is due, in batches, until nothing is due or the time budget is spent. Safe to
 * run from any number of processes at once.
 */
export async function deliverDue(opts: { batch?: number; budgetMs?: number } = {}): Promise<DeliveryResult> {
  const totals: DeliveryResult = { claimed: 0, sent: 0, failed: 0, dead: 0, lost: 0 };
  if (!mailTransport()) return { ...totals, skipped: "SMTP_URL is not set: messages wait in the outbox" };
  const batch = opts.batch ?? 20;
  const started = performance.now();
  for (;;) {
    const token = crypto.randomUUID();
    const claimed = await claim(batch, token);
    totals.claimed += claimed.length;
    // A few at a time: the pooled transport has 3 connections.
    for (let i = 0; i < claimed.length; i += 3) await Promise.all(claimed.slice(i, i + 3).map((m) => deliverOne(m, token, totals)));
    if (claimed.length < batch || performance.now() - started > (opts.budgetMs ?? 20_000)) return totals;
  }
}
