import "server-only";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { shutdownState } from "@/lib/shutdown";
import { deliverDue } from "./worker";

// The app process's own delivery loop (started by instrumentation.ts): polls the outbox every
// MAIL_POLL_MS and runs at once when this process queued a message (wakeMailer), so a
// confirmation usually leaves within a second of the booking. The cron tick runs the same
// worker as a backstop (and is the only sender where processes do not live on, e.g. serverless).

// On globalThis: Next bundles instrumentation.ts and the routes separately, each with its own copy
// of this module, and a route's wakeMailer() must reach the loop instrumentation started.
type LoopState = { timer?: NodeJS.Timeout; running: boolean; again: boolean; wake?: () => void };
const g = globalThis as unknown as { tesseraMailLoop?: LoopState };

export function startMailLoop() {
  const e = env();
  if (g.tesseraMailLoop || !e.SMTP_URL || e.MAIL_POLL_MS === 0) return;
  const state: LoopState = { running: false, again: false };
  g.tesseraMailLoop = state;
  const schedule = (ms: number) => {
    clearTimeout(state.timer);
    state.timer = setTimeout(run, ms);
    state.timer.unref();
  };
  const run = async () => {
    if (shutdownState() !== "running") return; // the pools are closing: leave the rest to others
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    try {
      await deliverDue({ budgetMs: 10_000 });
    } catch (err) {
      log.warn("mail.loop_failed", { error: err instanceof Error ? err.message : String(err) });
    } finally {
      state.running = false;
      const again = state.again;
      state.again = false;
      schedule(again ? 0 : e.MAIL_POLL_MS);
    }
  };
  state.wake = () => (state.running ? (state.again = true) : schedule(0));
  schedule(1_000);
  log.info("mail.loop_started", { pollMs: e.MAIL_POLL_MS });
}

/** Call after committing a transaction that queued mail: the loop runs now instead of at its next poll. */
export function wakeMailer() {
  g.tesseraMailLoop?.wake?.();
}
