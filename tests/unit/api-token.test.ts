import crypto from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { issueApiToken, verifyApiToken } from "@/lib/auth/tokens";
import { env } from "@/lib/env";

// Bearer tokens are verified with node:crypto (lib/auth/tokens.ts), no longer with jose's
// jwtVerify: every token here is judged by both, and both must agree — what jose accepted is
// accepted, what it refused is refused — except two shapes this app never issues, which jose lets
// through and we refuse (the last test).

const key = () => new Uint8Array(crypto.createHash("sha256").update(`api-token:${env().AUTH_SECRET!}`).digest());
const user = { id: crypto.randomUUID(), role: "CUSTOMER" as const, sessionVersion: 2 };
const now = () => Math.floor(Date.now() / 1000);

async function jose(token: string) {
  try {
    const { payload } = await jwtVerify(token, key(), { issuer: "tessera", audience: "tessera-api", algorithms: ["HS256"] });
    return typeof payload.sub === "string" && typeof payload.sv === "number";
  } catch {
    return false;
  }
}

async function agree(token: string, accepted: boolean) {
  expect(await jose(token), "jose").toBe(accepted);
  expect((await verifyApiToken(token)) !== null, "ours").toBe(accepted);
}

function mint(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "HS256" }, secret = key()) {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const signed = `${b64(header)}.${b64(claims)}`;
  const alg = header.alg === "HS512" ? "sha512" : "sha256";
  return `${signed}.${crypto.createHmac(alg, secret).update(signed).digest("base64url")}`;
}

const good = () => ({ sub: user.id, role: "CUSTOMER", sv: 2, iss: "tessera", aud: "tessera-api", iat: now(), exp: now() + 60 });

describe("API bearer tokens", () => {
  it("accepts the tokens it issues, with their claims", async () => {
    const { token } = await issueApiToken(user);
    await agree(token, true);
    expect(await verifyApiToken(token)).toEqual({ sub: user.id, role: "CUSTOMER", sv: 2 });
    await agree(mint(good()), true);
    await agree(mint({ ...good(), aud: ["other", "tessera-api"] }), true);
    await agree(mint({ ...good(), nbf: now() - 5 }), true);
  });

  it("refuses a token altered anywhere, signed with another key or another algorithm", async () => {
    const { token } = await issueApiToken(user);
    const parts = token.split(".");
    for (let i = 0; i < 3; i++) {
      const p = [...parts];
      const bytes = Buffer.from(p[i], "base64url");
      bytes[bytes.length >> 1] ^= 1;
      p[i] = bytes.toString("base64url");
      await agree(p.join("."), false);
    }
    await agree(`${parts[0]}.${parts[1]}.`, false);
    await agree(`${parts[0]}.${parts[1]}`, false);
    await agree(`${token}.x`, false);
    await agree("not-a-token", false);
    await agree(mint(good(), { alg: "HS256" }, new Uint8Array(32)), false);
    await agree(mint(good(), { alg: "HS512" }), false);
    await agree(mint(good(), { alg: "none" }), false);
    await agree(mint(good(), { alg: "HS256", crit: ["exp"], exp: 1 }), false);
    await agree(mint(good(), { alg: "HS256", b64: false, crit: ["b64"] }), false);
  });

  it("refuses the wrong issuer or audience, an expired token, one not yet valid, and odd claims", async () => {
    await agree(mint({ ...good(), iss: "someone" }), false);
    await agree(mint({ ...good(), iss: undefined }), false);
    await agree(mint({ ...good(), aud: "other" }), false);
    await agree(mint({ ...good(), aud: undefined }), false);
    await agree(mint({ ...good(), exp: now() - 1 }), false);
    await agree(mint({ ...good(), exp: now() }), false);
    await agree(mint({ ...good(), exp: String(now() + 60) }), false);
    await agree(mint({ ...good(), nbf: now() + 60 }), false);
    await agree(mint({ ...good(), nbf: "soon" }), false);
    await agree(mint({ ...good(), iat: "today" }), false);
    await agree(mint({ ...good(), sub: 42 }), false);
    await agree(mint({ ...good(), sv: "2" }), false);
    await agree(mint([good()] as unknown as Record<string, unknown>), false);
    const expired = await new SignJWT({ role: "CUSTOMER", sv: 2 })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(user.id)
      .setIssuer("tessera")
      .setAudience("tessera-api")
      .setExpirationTime(now() - 10)
      .sign(key());
    await agree(expired, false);
  });

  it("is stricter than jose where our tokens never go: a padded signature, a token without expiry", async () => {
    const { token } = await issueApiToken(user);
    for (const odd of [`${token}=`, mint({ ...good(), exp: undefined })]) {
      expect(await jose(odd)).toBe(true);
      expect(await verifyApiToken(odd)).toBeNull();
    }
  });
});
