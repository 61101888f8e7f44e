// Where a visitor may be sent after signing in (or continuing as a guest): a path on this site
// and nothing else, never an open redirect. Browsers read a backslash as "/" and drop tabs and
// line breaks inside URLs, so "/<backslash>evil.example" or "/<tab>/evil.example" would leave the site;
// percent-encoded slashes are decoded by some proxies and frameworks before routing. Anything
// doubtful falls back to the home page.

const UNSAFE = /[\\\u0000-\u001f\u007f]|%(2f|5c|[01][0-9a-f]|7f)/i;

/** `next` as a same-origin path (path, query and fragment), or "/" when it is anything else. */
export function safeNext(next: unknown, fallback = "/"): string {
  if (typeof next !== "string" || next.length > 2048) return fallback;
  if (!next.startsWith("/") || next.startsWith("//") || UNSAFE.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, "http://same-origin.invalid");
  } catch {
    return fallback;
  }
  if (url.origin !== "http://same-origin.invalid" || url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}

/** Auth.js's redirect callback: same-origin URLs only, malformed ones to the home page (never a 500). */
export function sameOriginRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return "/";
  }
  if (url.startsWith("/")) return new URL(safeNext(url), base).toString();
  try {
    const target = new URL(url);
    if (target.origin === base.origin) return new URL(safeNext(target.pathname + target.search + target.hash), base).toString();
  } catch {
    // fall through
  }
  return base.toString();
}
