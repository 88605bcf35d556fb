/** Prices in a clinic's currency ("$400", "£60", "€80"), as the receptionist says them. */
export function formatPrice(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      minimumFractionDigits: Number.isInteger(amount) ? 0 : 2,
      maximumFractionDigits: 2,
    }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

export type CurrencyOption = { code: string; label: string };

const COMMON = ["USD", "GBP", "EUR", "CAD", "AUD", "NZD", "CHF", "AED", "INR", "SGD", "ZAR"];

/** Every ISO 4217 currency the browser knows, the common ones first: "GBP — British Pound". */
export function currencyOptions(include: string[] = []): CurrencyOption[] {
  const names = new Intl.DisplayNames(["en"], { type: "currency" });
  const all = new Set([...COMMON, ...include, ...Intl.supportedValuesOf("currency")]);
  return [...all].map((code) => ({ code, label: `${code} — ${names.of(code) ?? code}` }));
}
