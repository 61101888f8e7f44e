import { describe, expect, it } from "vitest";
import { actorFromBearer } from "@/lib/auth/actor";
import { registerSchema } from "@/lib/auth/schemas";
import { issueApiToken, verifyApiToken } from "@/lib/auth/tokens";
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

  it("throttles guessing per account before any bcrypt work", async () => {
    const { email } = await user();
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i++) {
      outcomes.push(
        await authenticate({ email, password: `guess-${i}-x` }, ip()).then(
          (u) => (u ? "ok" : "wrong"),
          (e) => (e instanceof AppError ? e.code : "error"),
        ),
      );
    }
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill("wrong"));
    expect(outcomes.slice(5)).toEqual(["rate_limited", "rate_limited"]);
    // Even the right password is refused while throttled.
    await expect(authenticate({ email, password: "correct-horse-1" }, ip())).rejects.toMatchObject({ code: "rate_limited" });
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
