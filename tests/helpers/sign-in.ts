import { sleep } from "./wait";

// Signing in to the website over HTTP, through its own Auth.js credentials endpoint (CSRF token
// and all), as a browser does. REST bearer tokens come from ApiClient.login (api.ts) or, minted
// in-process, from bearerTokens (race.ts); browsers sign in with signInPage (browser.ts).

/**
 * A made-up client address (198.18.0.0/15, reserved for benchmarks) for X-Forwarded-For. Test
 * files run in parallel against one Redis, and per-IP sign-in limits count every app's sign-ins
 * from the same address together: without their own address, one file's sign-ins would use up
 * another's. Tests of the per-IP limit itself set one address on purpose.
 */
export function testIp(): string {
  // Consecutive addresses from a random start: never the same twice in one test file (drawn at
  // random, two of a file's ~30 addresses met often enough for a shared limit to answer 429 on a
  // first request), and files overlap only if their random starts fall within a few dozen.
  const n = (nextIp++ % ((1 << 17) - 2)) + 1;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}
let nextIp = Math.floor(Math.random() * (1 << 17));

/** Every Set-Cookie of `responses` as one Cookie header (later ones win). */
function cookieHeader(responses: Response[]): string {
  const jar = new Map<string, string>();
  for (const res of responses) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/**
 * One sign-in through Auth.js's credentials callback, from its own client address unless
 * `headers` names one, asking to be sent on to `callbackUrl`. Returns the answer, every cookie set on the way and the Cookie header a
 * browser would send next (signed in when it carries a session token).
 */
export async function authJsSignIn(baseUrl: string, email: string, password: string, headers: Record<string, string> = {}, callbackUrl = "/") {
  const h = { "x-forwarded-for": testIp(), ...headers };
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers: h });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader([csrf]), ...h },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl }),
  });
  return { res, setCookies: [...csrf.headers.getSetCookie(), ...res.headers.getSetCookie()], cookie: cookieHeader([csrf, res]) };
}

/**
 * Signs in and returns the Cookie header of the session. Sign-in fails closed (503) when its
 * rate limiter cannot reach Redis in time, which a loaded 2-core machine can cause, so a refusal
 * is tried again a few times, as a person would; tests that expect the refusal pass `attempts: 1`.
 */
export async function signInCookie(baseUrl: string, email: string, password: string, opts: { attempts?: number } = {}): Promise<string> {
  const attempts = opts.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      const { res, cookie } = await authJsSignIn(baseUrl, email, password);
      if (cookie.includes("authjs.session-token")) return cookie;
      throw new Error(`sign-in failed for ${email} (${res.status} ${res.headers.get("location")})`);
    } catch (err) {
      if (attempt >= attempts) throw err;
      await sleep(500 * attempt);
    }
  }
}
