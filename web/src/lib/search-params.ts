/** Page sizes offered by the paged tables whose state lives in the address. */
export const PAGE_SIZES = ['25', '50', '100', '200'];

/** A positive integer from a search parameter, or the fallback for anything else. */
export function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
