// Money is integer minor units with an ISO 4217 currency code; the currency's own number of
// decimals decides the divisor (JPY has none, EUR two). One locale for every amount a person
// reads — website, API messages and emails alike — so the same amount never reads two ways.
// Pure: server and client components, actions and lib all use these.

const LOCALE = "en-IE";
const formats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat {
  const code = currency.trim(); // char(3) columns may come padded
  let f = formats.get(code);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE, { style: "currency", currency: code });
    formats.set(code, f);
  }
  return f;
}

// Kept per known code: resolvedOptions() builds a new object on every call, and a checkout asks
// for the digits of its currency many times (prices, totals, the booking's view).
const digits = new Map<string, number>();

/** Decimal places of the currency (2 for an unknown code). */
export function currencyDigits(currency: string): number {
  const known = digits.get(currency);
  if (known !== undefined) return known;
  try {
    const d = moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
    digits.set(currency, d);
    return d;
  } catch {
    return 2;
  }
}

/** "€12.50", "JP¥1,200": an amount for people. */
export function formatMoney(minor: number, currency: string): string {
  return moneyFormat(currency).format(minor / 10 ** currencyDigits(currency));
}

export function formatPriceRange(min: number, max: number, currency: string): string {
  if (max === 0) return "Free";
  if (min === max) return formatMoney(min, currency);
  return `${min === 0 ? "Free" : formatMoney(min, currency)} – ${formatMoney(max, currency)}`;
}

/** "12.50": an amount for machines and form fields, in the currency's own decimals. */
export function majorUnits(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** Minor units from a typed price ("12", "12.5", "12,50"), or null when it is not one. */
export function priceToMinor(text: unknown, digits: number): number | null {
  const t = String(text ?? "")
    .trim()
    .replace(",", ".");
  const m = /^(\d{1,9})(?:\.(\d*))?$/.exec(t);
  if (!m) return null;
  const frac = m[2] ?? "";
  if (frac.length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, "0") || "0");
}
