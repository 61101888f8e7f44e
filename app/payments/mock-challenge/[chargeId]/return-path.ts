// Where the mock challenge page sends the customer back: only a checkout page of this site, so
// the page cannot be used to send people elsewhere (an open redirect).
const CHECKOUT_RETURN = /^\/checkout\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/return$/i;

export function safeReturnPath(path: string | undefined | null): string {
  return path && CHECKOUT_RETURN.test(path) ? path : "/";
}
