import { expect, type Page } from "@playwright/test";
import { readCaughtMail, type CaughtMail } from "@/lib/dev/caught-mail";

// Email in browser tests: what the app sent to an address (caught by the suite's catcher), the
// links in it, and a look at the HTML as a mail client would show it.

export async function waitForMail(to: string, subject: RegExp, timeoutMs = 30_000): Promise<CaughtMail> {
  let found: CaughtMail | undefined;
  await expect
    .poll(
      () => {
        found = readCaughtMail(process.env.E2E_MAIL_DIR!).find((m) => m.envelope.to.includes(to.toLowerCase()) && subject.test(m.subject));
        return !!found;
      },
      { message: `an email to ${to} with subject ${subject}`, timeout: timeoutMs },
    )
    .toBe(true);
  return found!;
}

export function mailTo(to: string): CaughtMail[] {
  return readCaughtMail(process.env.E2E_MAIL_DIR!).filter((m) => m.envelope.to.includes(to.toLowerCase()));
}

/** A link of this site from the message's plain text, as a path (the test server's origin may differ). */
export function linkPath(mail: CaughtMail, prefix: string): string {
  const m = (mail.text ?? "").match(/https?:\/\/\S+/g)?.find((u) => new URL(u).pathname.startsWith(prefix));
  if (!m) throw new Error(`no ${prefix} link in "${mail.subject}":\n${mail.text}`);
  const u = new URL(m);
  return u.pathname + u.search;
}

/** Shows the message's HTML in the page (as a mail client would) and screenshots it. */
export async function screenshotMail(page: Page, mail: CaughtMail, file: string) {
  await page.setContent(mail.html ?? `<pre>${mail.text}</pre>`);
  await page.screenshot({ path: file, fullPage: true });
}
