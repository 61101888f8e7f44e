// Content-Security-Policy for pages and for the API. Pages get a fresh nonce per request:
// Next.js reads it from the request's CSP header and puts it on its own scripts, and
// 'strict-dynamic' lets those scripts load the app's chunks. Nothing else may run, frame us or
// post forms elsewhere. Nonce-based CSP needs dynamically rendered pages: the root layout reads
// the session cookie, so every page is.

export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function pageCsp(nonce: string, opts: { dev?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    // 'unsafe-eval' only in development, where React's tooling needs it.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    // <style> elements need the nonce; style="" attributes (seat colours, progress bars) are
    // allowed: they cannot run code, and the script policy is what stops injection. The dev
    // server injects its CSS with unnonced <style> tags, and a nonce would make browsers ignore
    // 'unsafe-inline', so development drops the nonce from style-src.
    opts.dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    // Event images are organizer-supplied http(s) URLs; QR codes are inline SVG/data URLs.
    "img-src 'self' data: blob: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}

/** JSON never needs to load anything, and nobody may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
