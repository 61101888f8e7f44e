import { AppError } from "@/lib/errors";
import { assertRateLimit, countRateLimit, rateLimitHeaders, rateLimitRemaining } from "@/lib/rate-limit";
import { UNAVAILABLE, withRedis } from "@/lib/redis";

// Password guessing is limited without handing strangers a way to lock the owner out:
//  1. per client address across accounts (loginIp): one address trying many accounts;
//  2. per account and address (loginAccountAddress): one address guessing one account. A
//     stranger who trips it locks out only their own address, never the owner's;
//  3. per account from every address together (loginAccount, counting failures only): a much
//     higher ceiling against guessing spread over many addresses. Once it is reached the account
//     only accepts sign-ins from addresses it signed in from successfully before (remembered for
//     KNOWN_DAYS), so the owner still gets in from home, the office or the venue, while a botnet
//     meets 429. From anywhere else the owner resets the password by email, which vouches for
//     the address it completes from (trustSignInAddress), or waits for the window to pass.
// Sessions already signed in are untouched by any of this. Limits 1–2 are counted before any
// bcrypt work; all three fail closed (503) when Redis cannot be asked.

const KNOWN_DAYS = 90;
const REDIS_DEADLINE_MS = 1000;

const knownKey = (email: string, address: string) => `login:known:${email}:${address}`;

const unavailable = () => new AppError("service_unavailable", "Signing in is briefly unavailable. Please try again in a moment.", {}, { "Retry-After": "5" });

async function isKnownAddress(email: string, address: string): Promise<boolean> {
  const r = await withRedis("signin:known", (redis) => redis.exists(knownKey(email, address)), REDIS_DEADLINE_MS);
  if (r === UNAVAILABLE) throw unavailable();
  return r === 1;
}

/** Throws 429 (or 503) when this sign-in may not even be tried; call before checking the password. */
export async function assertSignInAllowed(email: string, address: string): Promise<void> {
  // Asked side by side: three round trips to Redis cost one wait.
  const [, , ceiling] = await Promise.all([
    assertRateLimit("loginIp", address),
    assertRateLimit("loginAccountAddress", `${email}|${address}`),
    rateLimitRemaining("loginAccount", email),
  ]);
  if (!ceiling) throw unavailable();
  if (ceiling.remaining > 0 || (await isKnownAddress(email, address))) return;
  const retryAfter = Math.max(1, Math.ceil((ceiling.reset - Date.now()) / 1000));
  throw new AppError(
    "rate_limited",
    "This account is protected after many failed sign-ins from elsewhere. Sign in from a device or network you have used before, or reset your password.",
    { retryAfter, reason: "account_protected" },
    { "Retry-After": String(retryAfter), ...rateLimitHeaders(ceiling) },
  );
}

/** After the password check: a failure counts toward the account's ceiling, a success remembers the address. */
export async function recordSignIn(email: string, address: string, ok: boolean): Promise<void> {
  if (!ok) return countRateLimit("loginAccount", email);
  await trustSignInAddress(email, address);
}

/** Lets this address past the account's ceiling from now on (a successful sign-in or password reset from it). */
export async function trustSignInAddress(email: string, address: string): Promise<void> {
  await withRedis("signin:known", (redis) => redis.set(knownKey(email, address), 1, { ex: KNOWN_DAYS * 86_400 }), REDIS_DEADLINE_MS);
}
