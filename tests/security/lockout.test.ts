import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { openSecret } from "@/lib/mail/secret";
import { postAction, serverActions } from "@/tests/helpers/actions";
import { shareAppSecrets, startApp, type App } from "@/tests/helpers/app";
import { createUser, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { call } from "@/tests/helpers/http";
import { testIp } from "@/tests/helpers/sign-in";

// No stranger can keep the owner of an account out by guessing its password (lib/auth/sign-in-
// limits.ts). Guessing spread over many addresses meets the account's ceiling (3 failures here);
// past it the owner still signs in from an address used before, and from a new one once the
// emailed password reset has been completed from it.

shareAppSecrets(); // the outbox secrets this test reads were sealed by the app
let app: App;
beforeAll(async () => {
  app = await startApp({ env: { RATE_LIMIT_LOGIN_ACCOUNT: "3/3600" } });
});
afterAll(() => app?.stop());

const login = (email: string, password: string, address: string) =>
  call(`${app.url}/api/v1/auth/login`, { json: { email, password }, headers: { "x-forwarded-for": address } });

async function lastResetToken(email: string): Promise<string> {
  const [row] = await db().execute<{ secret: string }>(sql`
    SELECT secret FROM email_outbox WHERE recipient = ${email} AND kind = 'password_reset' ORDER BY id DESC LIMIT 1`);
  return openSecret(row.secret).token;
}

describe("an account under distributed guessing", () => {
  it("stays open to its owner: from a known address at once, from a new one after an emailed reset", async () => {
    const u = await createUser();
    const home = testIp();
    expect((await login(u.email, TEST_PASSWORD, home)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await login(u.email, `guess-${i}-pass`, testIp())).status).toBe(401);

    // Past the ceiling: new addresses are refused, whoever they are, on every sign-in path.
    const travelling = testIp();
    const refused = await login(u.email, TEST_PASSWORD, travelling);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: "rate_limited", reason: "account_protected" });
    const viaForm = await postAction(
      app.url,
      serverActions().loginAction.id,
      { email: u.email, password: TEST_PASSWORD },
      { headers: { "x-forwarded-for": travelling } },
    );
    expect(viaForm.state?.formError).toMatch(/protected .* reset your password/);

    // The owner at home is not locked out.
    expect((await login(u.email, TEST_PASSWORD, home)).status).toBe(200);

    // From the new address, the emailed reset lets the owner in (and keeps that address trusted).
    const asked = await postAction(app.url, serverActions().forgotPasswordAction.id, { email: u.email }, { headers: { "x-forwarded-for": travelling } });
    expect(asked.state?.ok).toBe(true);
    const token = await lastResetToken(u.email);
    const reset = await postAction(
      app.url,
      serverActions().resetPasswordAction.id,
      { token, password: "brand-new-pass-7", confirmPassword: "brand-new-pass-7" },
      { headers: { "x-forwarded-for": travelling } },
    );
    expect(reset.redirect).toMatch(/^\/account\?reset=1/);
    expect((await login(u.email, "brand-new-pass-7", travelling)).status).toBe(200);
    // Still closed to everyone else.
    expect((await login(u.email, "brand-new-pass-7", testIp())).status).toBe(429);
  });
});
