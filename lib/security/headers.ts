// Security headers every response carries (pages and API alike), set in middleware.ts.

export const HSTS = "max-age=63072000; includeSubDomains";

export function commonSecurityHeaders(production: boolean): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), browsing-topics=()",
    // Browsers ignore HSTS over plain http, so sending it from `next start` is harmless locally.
    ...(production ? { "Strict-Transport-Security": HSTS } : {}),
  };
}

export function pageSecurityHeaders(csp: string, production: boolean): Record<string, string> {
  return { ...commonSecurityHeaders(production), "Content-Security-Policy": csp, "Referrer-Policy": "strict-origin-when-cross-origin" };
}

export function apiSecurityHeaders(csp: string, production: boolean): Record<string, string> {
  return { ...commonSecurityHeaders(production), "Content-Security-Policy": csp, "Referrer-Policy": "no-referrer" };
}

export function setHeaders(res: Response, headers: Record<string, string>) {
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
}
