import { describe, expect, it } from "vitest";
import { actorFromBearer } from "@/lib/auth/actor";
import { registerSchema } from "@/lib/auth/schemas";
import { issueApiToken, verifyApiToken } from "@/lib/auth/tokens";
import { trustSignInAddress } from "@/lib/auth/sign-in-limits";
import { authenticate, bumpSessionVersion, registerUser } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { uniqueEmail } from "@/tests/helpers/fixtures";

const ip = () => `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe("registration", () => {
  it("creates a customer and never exposes the password", async () => {
    const email = uniqueEmail();
    const input = registerSchema.parse({ email: `  ${email.toUpperCase()} `, password: "correct-horse-1", name: "Ann" });
    expect(input.email).toBe(email);
    const r = await registerUser(input, ip());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.user.role).toBe("CUSTOMER");
    expect(r.user.passwordHash).toMatch(/^\$2[aby]\$1\d\$/); // bcrypt, cost >= 10
    expect(r.user.passwordHash).not.toContain("correct-horse-1");
  });

  it("gives a clear field error for a duplicate email, whatever its case", async () => {
    const email = uniqueEmail();
    await registerUser(registerSchema.parse({ email, password: "correct-horse-1", name: "A" }), ip());
    const again = await registerUser(registerSchema.parse({ email: email.toUpperCase(), password: "correct-horse-2", name: "B" }), ip());
    expect(again).toMatchObject({ ok: false, code: "email_taken", fields: { email: [expect.stringMatching(/already exists/)] } });
  });
});

describe("sign-in", () => {
  async function user() {
    const email = uniqueEmail();
    const r = await registerUser(registerSchema.parse({ email, password: "correct-horse-1", name: "S" }), ip());
    if (!r.ok) throw new Error("setup");
    return { email, user: r.user };
  }

  it("accepts the right password and refuses a wrong one or an unknown email alike", async () => {
    const { email, user: u } = await user();
    expect((await authenticate({ email, password: "correct-horse-1" }, ip()))?.id).toBe(u.id);
    expect(await authenticate({ email, password: "wrong-horse-1" }, ip())).toBeNull();
    expect(await authenticate({ email: uniqueEmail(), password: "correct-horse-1" }, ip())).toBeNull();
  });

  const attempt = (email: string, password: string, address: string) =>
    authenticate({ email, password }, address).then(
      (u) => (u ? "ok" : "wrong"),
      (e) => (e instanceof AppError ? (e.extra.reason === "account_protected" ? "protected" : e.code) : "error"),
    );

  it("a stranger guessing from one address locks out that address only, never the owner elsewhere", async () => {
    // The default 5 a minute, over an hour's window: a sliding window may let one more through
    // when the attempts straddle a minute boundary, which is not what this test is about.
    process.env.RATE_LIMIT_LOGIN_ACCOUNT_ADDRESS = "5/3600";
    try {
      const { email } = await user();
      const stranger = ip();
      const outcomes: string[] = [];
      for (let i = 0; i < 7; i++) outcomes.push(await attempt(email, `guess-${i}-x`, stranger));
      expect(outcomes).toEqual([...Array(5).fill("wrong"), "rate_limited", "rate_limited"]);
      // Refused before the password is looked at, so the right one does not help the stranger either.
      expect(await attempt(email, "correct-horse-1", stranger)).toBe("rate_limited");
      expect(await attempt(email, "correct-horse-1", ip())).toBe("ok");
    } finally {
      delete process.env.RATE_LIMIT_LOGIN_ACCOUNT_ADDRESS;
    }
  });

  it("guessing spread over many addresses meets the account's ceiling; the owner still gets in from an address used before, or one a password reset vouched for", async () => {
    process.env.RATE_LIMIT_LOGIN_ACCOUNT = "6/3600";
    try {
      const { email } = await user();
      const home = ip();
      expect(await attempt(email, "correct-horse-1", home)).toBe("ok");
      const botnet = Array.from({ length: 6 }, () => attempt(email, "guess-horse-1", ip()));
      expect(await Promise.all(botnet)).toEqual(Array(6).fill("wrong"));
      // Ceiling reached: a new address is refused even with the right password (as is the botnet)...
      const travelling = ip();
      expect(await attempt(email, "correct-horse-1", travelling)).toBe("protected");
      expect(await attempt(email, "guess-horse-2", ip())).toBe("protected");
      // ...while the owner's usual address still works, and a reset lets a new one in.
      expect(await attempt(email, "correct-horse-1", home)).toBe("ok");
      await trustSignInAddress(email, travelling);
      expect(await attempt(email, "correct-horse-1", travelling)).toBe("ok");
      // Another account is not affected.
      const other = await user();
      expect(await attempt(other.email, "correct-horse-1", ip())).toBe("ok");
    } finally {
      delete process.env.RATE_LIMIT_LOGIN_ACCOUNT;
    }
  });

  it("revokes API tokens when the session version is bumped (sign out everywhere, role change)", async () => {
    const { user: u } = await user();
    const { token } = await issueApiToken(u);
    expect((await verifyApiToken(token))?.sub).toBe(u.id);
    expect(await actorFromBearer(`Bearer ${token}`)).toMatchObject({ id: u.id, role: "CUSTOMER" });
    await bumpSessionVersion(u.id);
    expect(await actorFromBearer(`Bearer ${token}`)).toBe("invalid");
    expect(await actorFromBearer("Bearer not-a-token")).toBe("invalid");
    expect(await actorFromBearer(null)).toBeNull();
  });
});
