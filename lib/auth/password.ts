import bcrypt from "bcryptjs";
import { z } from "zod";

export const BCRYPT_COST = 10;

// bcrypt only looks at the first 72 bytes. Longer passwords are refused, never silently cut.
const MAX_BYTES = 72;

export const passwordSchema = z
  .string({ message: "Enter a password" })
  .min(8, "Use at least 8 characters")
  .refine((p) => new TextEncoder().encode(p).length <= MAX_BYTES, {
    message: `Use at most ${MAX_BYTES} bytes (bcrypt ignores anything longer)`,
  })
  .refine((p) => /[A-Za-z]/.test(p) && /[^A-Za-z]/.test(p), {
    message: "Mix letters with at least one digit or symbol",
  });

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

// A hash of a random password: comparing against it when the email is unknown keeps the
// response time the same, so timing does not tell which emails have accounts.
const DUMMY_HASH = bcrypt.hashSync("tessera-dummy-password-1", BCRYPT_COST);

export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (new TextEncoder().encode(password).length > MAX_BYTES) return false;
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return ok && hash !== null;
}
