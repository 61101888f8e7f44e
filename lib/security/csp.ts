// Content-Security-Policy for pages and for the API. Pages get a fresh nonce per request:
// Next.js reads it from the request's CSP header and puts it on its own scripts, and
// 'strict-dynamic' lets those scripts load the app's chunks. Nothing else may run, frame us or
// post forms elsewhere. Nonce-based CSP needs dynamically rendered pages: the root layout reads
// the session cookie, so every page is.

export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

// What Stripe's Payment Element needs (Stripe.js from js.stripe.com, its card fields and 3-D
// Secure challenge in frames from js.stripe.com and hooks.stripe.com, its API calls to
// api.stripe.com) — added only to the checkout page, and only while Stripe takes payments.
const STRIPE = {
  script: " https://js.stripe.com",
  frame: "frame-src https://js.stripe.com https://hooks.stripe.com",
  connect: " https://api.stripe.com",
};

export function pageCsp(nonce: string, opts: { dev?: boolean; stripe?: boolean } = {}): string {
  const stripe = opts.stripe === true;
  const directives = [
    "default-src 'self'",
    // 'unsafe-eval' only in development, where React's tooling needs it. The Stripe host is for
    // browsers without 'strict-dynamic' (which ignore it otherwise; Stripe.js loads through our nonced script).
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}${stripe ? STRIPE.script : ""}`,
    // <style> elements need the nonce; style="" attributes (seat colours, progress bars) are
    // allowed: they cannot run code, and the script policy is what stops injection. The dev
    // server injects its CSS with unnonced <style> tags, and a nonce would make browsers ignore
    // 'unsafe-inline', so development drops the nonce from style-src.
    opts.dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    // Event images are organizer-supplied http(s) URLs; QR codes are inline SVG/data URLs.
    "img-src 'self' data: blob: https:",
    "font-src 'self'",
    `connect-src 'self'${stripe ? STRIPE.connect : ""}`,
    ...(stripe ? [STRIPE.frame] : []),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}

/** JSON never needs to load anything, and nobody may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
