import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { sealSecret } from "./secret";

// Writing to the outbox. Callers pass their own transaction (or build the insert into their own
// statement with outboxInsertSql), so a message exists exactly when the change that causes it
// committed: no booking without its confirmation, no confirmation for a booking rolled back.
// Delivery is lib/mail/worker.ts's job; wakeMailer() (lib/mail/loop.ts) after the commit only
// makes it sooner.

export const MAIL_KINDS = [
  "booking_confirmed",
  "event_cancelled",
  "booking_refunded",
  "password_reset",
  "verify_email",
  "email_changed",
  "password_changed",
  "waitlist_offer",
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export type NewMail = {
  kind: MailKind;
  recipient: string;
  payload?: Record<string, unknown>;
  secret?: Record<string, string>; // encrypted at rest, cleared after sending
  dedupeKey?: string; // at most one message per key
};

/** Queues a message in `q`'s transaction. False when a message with the same dedupe key exists. */
export async function enqueueMail(q: DbOrTx, mail: NewMail): Promise<boolean> {
  const rows = await q.execute(sql`
    INSERT INTO email_outbox (kind, recipient, payload, secret, dedupe_key)
    VALUES (${mail.kind}, ${mail.recipient}, ${JSON.stringify(mail.payload ?? {})}::jsonb,
            ${mail.secret ? sealSecret(mail.secret) : null}, ${mail.dedupeKey ?? null})
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id`);
  return rows.length > 0;
}

/** The dedupe key of a booking's confirmation (also used by the integrity check). */
export const confirmationKey = (bookingId: string) => `booking_confirmed:${bookingId}`;

/**
 * An INSERT for a data-modifying CTE: one message per row of `from` (SQL selecting
 * recipient, payload jsonb and dedupe_key columns), e.g. a booking's confirmation written in
 * the booking's own statement.
 */
export function outboxInsertSql(kind: MailKind, from: SQL, secret?: Record<string, string>): SQL {
  return sql`
    INSERT INTO email_outbox (kind, recipient, payload, secret, dedupe_key)
    SELECT ${kind}, m.recipient, m.payload, ${secret ? sealSecret(secret) : null}, m.dedupe_key FROM (${from}) m
    ON CONFLICT (dedupe_key) DO NOTHING`;
}
