import fs from "node:fs";
import { startMailCatcher } from "@/lib/dev/mail-catcher";

// The browser suite's mail catcher: the app under test sends its email here (SMTP_URL in
// playwright.config.ts); specs read it with tests/e2e/support/mail.ts.
export default async function globalSetup() {
  const dir = process.env.E2E_MAIL_DIR!;
  fs.rmSync(dir, { recursive: true, force: true });
  const catcher = await startMailCatcher({ port: Number(process.env.E2E_SMTP_PORT), dir });
  return async () => catcher.stop();
}
