// Signs in through the website's own Auth.js credentials endpoint (CSRF token and all) and
// returns the cookie header a browser would send afterwards.

function cookieJar() {
  const jar = new Map<string, string>();
  return {
    add(res: Response) {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(";");
        const i = pair.indexOf("=");
        jar.set(pair.slice(0, i), pair.slice(i + 1));
      }
    },
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
  };
}

/**
 * A made-up client address (198.18.0.0/15, reserved for benchmarks) for X-Forwarded-For. Test
 * files run in parallel against one Redis, and per-IP sign-in limits count every app's sign-ins
 * from the same address together: without their own address, one file's sign-ins would use up
 * another's. Tests of the per-IP limit itself set one address on purpose.
 */
export function testIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(2));
  return `198.18.${b[0]}.${b[1] || 1}`;
}

export async function signInCookie(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = cookieJar();
  const ip = { "x-forwarded-for": testIp() };
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`, { headers: ip });
  jar.add(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), ...ip },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: baseUrl }),
  });
  jar.add(res);
  if (!jar.header().includes("authjs.session-token")) throw new Error(`sign-in failed for ${email} (${res.status} ${res.headers.get("location")})`);
  return jar.header();
}
