import { useEffect, useState } from "react";

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

/** The common currencies with fixed English names: what the server renders, identical in every browser. */
const COMMON: Record<string, string> = {
  USD: "US Dollar",
  GBP: "British Pound",
  EUR: "Euro",
  CAD: "Canadian Dollar",
  AUD: "Australian Dollar",
  NZD: "New Zealand Dollar",
  CHF: "Swiss Franc",
  AED: "UAE Dirham",
  INR: "Indian Rupee",
  SGD: "Singapore Dollar",
  ZAR: "South African Rand",
};

/** Every ISO 4217 currency the browser knows, the common ones first: "GBP — British Pound". */
export function currencyOptions(include: string[] = []): CurrencyOption[] {
  const names = new Intl.DisplayNames(["en"], { type: "currency" });
  const all = new Set([...Object.keys(COMMON), ...include, ...Intl.supportedValuesOf("currency")]);
  return [...all].map((code) => ({ code, label: `${code} — ${COMMON[code] ?? names.of(code) ?? code}` }));
}

/**
 * The currency choices for a select. The server and the browser know different currency lists
 * (each engine's ICU), so the first render offers only the common ones (and `include`) and the
 * full list arrives once mounted; rendering the full list on the server breaks hydration.
 */
export function useCurrencyOptions(include: string[] = []): CurrencyOption[] {
  const key = include.join(",");
  const [options, setOptions] = useState<CurrencyOption[]>(() =>
    [...new Set([...Object.keys(COMMON), ...include])].map((code) => ({ code, label: COMMON[code] ? `${code} — ${COMMON[code]}` : code })),
  );
  useEffect(() => {
    setOptions(currencyOptions(key ? key.split(",") : []));
  }, [key]);
  return options;
}
