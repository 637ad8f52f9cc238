/** Small helpers for admin forms, whose number inputs are edited as text. */

/** "" means "not given"; anything else must be a whole number of zero or more. */
export function parseCount(text: string): number | undefined | "invalid" {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isInteger(value) && value >= 0 ? value : "invalid";
}

export const wholeNumberMessage = "Enter a whole number (0 or more).";

/** The keys of `next` whose values differ from `base`, compared as JSON so nested objects work too. */
export function changedFields<T extends object>(base: T, next: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (JSON.stringify(base[key]) !== JSON.stringify(next[key])) out[key] = next[key];
  }
  return out;
}
