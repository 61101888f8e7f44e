import { describe, expect, it } from "vitest";
import { registerSchema } from "@/lib/auth/schemas";

// Sign-up input rules (lib/auth/schemas.ts), without a database.

describe("registration input", () => {
  it("validates email and password strength with field-level reasons", () => {
    const bad = registerSchema.safeParse({ email: "not-an-email", password: "short", name: "" });
    expect(bad.success).toBe(false);
    const fields: Record<string, string> = {};
    for (const i of bad.error!.issues) fields[i.path.join(".")] ??= i.message;
    expect(fields.email).toMatch(/valid email/);
    expect(fields.password).toMatch(/at least 8/);
    expect(fields.name).toMatch(/name/i);
    expect(registerSchema.safeParse({ email: "letters@example.test", password: "onlyletters", name: "x" }).success).toBe(false);
  });

  it("refuses passwords over 72 bytes instead of silently cutting them", () => {
    const long = "é".repeat(37) + "1"; // 75 bytes in UTF-8, 38 characters
    const r = registerSchema.safeParse({ email: "long@example.test", password: long, name: "x" });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toMatch(/72 bytes/);
  });
});
