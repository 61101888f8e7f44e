import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { users } from "@/db/schema";
import { requestEmailChange, changePassword } from "@/lib/accounts/change";
import { createGuest } from "@/lib/accounts/guest";
import { requestPasswordReset, resetPassword } from "@/lib/accounts/reset";
import { verifyEmail } from "@/lib/accounts/verify";
import { authenticate, registerUser, toActor } from "@/lib/auth/users";
import { confirmCheckout } from "@/lib/checkout";
import { openSecret } from "@/lib/mail/secret";
import { createTestEvent, createUser, seats, TEST_PASSWORD, uniqueEmail } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { newKey, pay } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";

// Password reset, address verification, account changes and guest claims, in-process against
// PostgreSQL and Redis. The emailed tokens are read back from the outbox (decrypted), as the
// mail would carry them.

async function lastToken(recipient: string, kind: string): Promise<string> {
  const [row] = await db().execute<{ secret: string }>(sql`
    SELECT secret FROM email_outbox WHERE recipient = ${recipient} AND kind = ${kind} ORDER BY id DESC LIMIT 1`);
  return openSecret(row.secret).token;
}
const count = async (recipient: string, kind: string) =>
  (await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM email_outbox WHERE recipient = ${recipient} AND kind = ${kind}`))[0].n;
const ip = () => `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe("password reset", () => {
  it("single use, signs every session out, and answers the same for unknown addresses", async () => {
    const user = await createUser();
    expect(await requestPasswordReset({ email: user.email }, ip())).toEqual({ ok: true });
    const unknown = uniqueEmail("nobody");
    expect(await requestPasswordReset({ email: unknown }, ip())).toEqual({ ok: true });
    expect(await count(unknown, "password_reset")).toBe(0);

    const token = await lastToken(user.email, "password_reset");
    const done = await resetPassword(token, "brand-new-pass-1");
    expect(done).toMatchObject({ ok: true, userId: user.id });
    const [after] = await db().select().from(users).where(eq(users.id, user.id));
    expect(after.sessionVersion).toBe(user.sessionVersion + 1); // sessions and API tokens revoked
    expect(after.emailVerifiedAt).not.toBeNull(); // the link proved the address
    expect(await authenticate({ email: user.email, password: "brand-new-pass-1" }, ip())).not.toBeNull();
    expect(await count(user.email, "password_changed")).toBe(1);
    expect(await resetPassword(token, "another-pass-2")).toMatchObject({ ok: false, code: "not_found" });
  });

  it("an expired token does nothing; at most three requests per address an hour, whoever asks", async () => {
    const user = await createUser();
    await requestPasswordReset({ email: user.email }, ip());
    const token = await lastToken(user.email, "password_reset");
    await db().execute(sql`UPDATE email_tokens SET expires_at = now() - interval '1 second' WHERE user_id = ${user.id}`);
    expect(await resetPassword(token, "brand-new-pass-1")).toMatchObject({ ok: false, code: "not_found" });
    await requestPasswordReset({ email: user.email }, ip());
    await requestPasswordReset({ email: user.email }, ip());
    await expect(requestPasswordReset({ email: user.email }, ip())).rejects.toMatchObject({ code: "rate_limited" });
    const unknown = uniqueEmail("nobody");
    for (let i = 0; i < 3; i++) await requestPasswordReset({ email: unknown }, ip());
    await expect(requestPasswordReset({ email: unknown }, ip())).rejects.toMatchObject({ code: "rate_limited" }); // same for unknown addresses
  });

  it("two resets with the same link at once: exactly one sets the password", async () => {
    const user = await createUser();
    await requestPasswordReset({ email: user.email }, ip());
    const token = await lastToken(user.email, "password_reset");
    const results = await Promise.all([resetPassword(token, "racer-pass-1"), resetPassword(token, "racer-pass-2"), resetPassword(token, "racer-pass-3")]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

describe("guest checkout and claiming", () => {
  it("guests buy like customers; proving the address (reset link) gives the account every guest booking of that address", async () => {
    const email = uniqueEmail("guest");
    const { event, places } = await createTestEvent({ sections: [seats(1, 6, 1000)] });
    const guests = [await createGuest({ email, name: "Gus" }, ip()), await createGuest({ email, name: "Gus" }, ip())];
    expect(guests[0].id).not.toBe(guests[1].id); // a new row per guest checkout: nobody sees another's purchases
    for (const [i, g] of guests.entries()) {
      const actor = toActor(g);
      const r = await hold(actor, event.id, { seatIds: [places[i].id] });
      const b = await confirmCheckout(actor, { reservationId: r.id, payment: pay() }, newKey());
      expect(b.ok).toBe(true);
    }
    expect(await authenticate({ email, password: "anything-1" }, ip())).toBeNull(); // no password to guess
    await requestPasswordReset({ email }, ip());
    const claimed = await resetPassword(await lastToken(email, "password_reset"), "claimed-pass-1");
    expect(claimed).toMatchObject({ ok: true, claimed: 2 });
    if (!claimed.ok) return;
    const [{ n }] = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM bookings WHERE user_id = ${claimed.userId}`);
    expect(n).toBe(2);
    const [account] = await db().select().from(users).where(eq(users.id, claimed.userId));
    expect(account).toMatchObject({ guest: false });
    await expectIntegrity(event.id);
  });

  it("a registered account gets guest bookings of its address once it confirms the address", async () => {
    const email = uniqueEmail("later");
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 500)] });
    const g = toActor(await createGuest({ email, name: "Lou" }, ip()));
    const r = await hold(g, event.id, { seatIds: [places[0].id] });
    expect((await confirmCheckout(g, { reservationId: r.id, payment: pay() }, newKey())).ok).toBe(true);
    const reg = await registerUser({ email, password: TEST_PASSWORD, name: "Lou" }, ip());
    if (!reg.ok) throw new Error(reg.message);
    const verified = await verifyEmail(await lastToken(email, "verify_email"));
    expect(verified).toMatchObject({ ok: true, changed: false, claimed: 1 });
  });
});

describe("account changes", () => {
  it("change password needs the current one and signs other sessions out; change email takes effect from the new address and tells the old", async () => {
    const user = await createUser();
    const actor = toActor(user);
    expect(await changePassword(actor, { currentPassword: "wrong-pass-1", newPassword: "next-pass-1" })).toMatchObject({
      ok: false,
      code: "invalid_credentials",
    });
    expect(await changePassword(actor, { currentPassword: TEST_PASSWORD, newPassword: "next-pass-1" })).toMatchObject({
      ok: true,
      sessionVersion: user.sessionVersion + 1,
    });

    const newEmail = uniqueEmail("moved");
    expect(await requestEmailChange(actor, { newEmail, currentPassword: "next-pass-1" })).toEqual({ ok: true });
    const [still] = await db().select().from(users).where(eq(users.id, user.id));
    expect(still.email).toBe(user.email); // not before the link is used
    const changed = await verifyEmail(await lastToken(newEmail, "verify_email"));
    expect(changed).toMatchObject({ ok: true, changed: true, email: newEmail });
    expect(await count(user.email, "email_changed")).toBe(1);
    const [moved] = await db().select().from(users).where(eq(users.id, user.id));
    expect(moved.email).toBe(newEmail);
  });

  it("an address taken meanwhile by another account is not taken over", async () => {
    const a = await createUser();
    const wanted = uniqueEmail("wanted");
    await requestEmailChange(toActor(a), { newEmail: wanted, currentPassword: TEST_PASSWORD });
    await createUser("CUSTOMER", { email: wanted });
    expect(await verifyEmail(await lastToken(wanted, "verify_email"))).toMatchObject({ ok: false, code: "email_taken" });
  });
});
