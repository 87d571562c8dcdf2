// Number formats for the page (U.S. English, as the data is U.S.).

const dollars = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});
const cents = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

export const NOT_PUBLISHED = "n/a";

export function money(value: number | null | undefined): string {
  return value === null || value === undefined ? NOT_PUBLISHED : dollars.format(value);
}

export function hourly(value: number | null | undefined): string {
  return value === null || value === undefined ? NOT_PUBLISHED : `${cents.format(value)}/hr`;
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? NOT_PUBLISHED : whole.format(value);
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? NOT_PUBLISHED : `${oneDecimal.format(value)}%`;
}

export function signedPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return NOT_PUBLISHED;
  return `${value > 0 ? "+" : ""}${oneDecimal.format(value)}%`;
}

export function decimal(value: number | null | undefined): string {
  return value === null || value === undefined ? NOT_PUBLISHED : oneDecimal.format(value);
}
