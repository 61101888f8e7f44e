// The caller's address, for per-IP limits: the first X-Forwarded-For entry, else X-Real-IP.
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "127.0.0.1";
}
