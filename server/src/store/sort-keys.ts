/** The sort values of one certificate in a list order, as SQLite returns them. */
export type SortKey = (string | number | null)[];

/** SQLite's order of values of different types: NULL, then numbers, then text. */
function rank(v: string | number | null): number {
  return v === null ? 0 : typeof v === 'number' ? 1 : 2;
}

/**
 * Text in SQLite's BINARY order, which compares UTF-8 bytes: the same as UTF-16 code units except that
 * a surrogate (a character past U+FFFF) sorts after U+E000–U+FFFF.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x < 0xe000 ? x + 0x2000 : x - 0x800;
      y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** NOCASE folds ASCII letters only. */
const foldAscii = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/**
 * Two entries of a list order, ascending: each sort value as SQLite's ORDER BY compares it (the columns
 * flagged `nocase` under COLLATE NOCASE), then the id. Negative when a sorts first.
 */
export function compareSortKeys(a: SortKey, aId: number, b: SortKey, bId: number, nocase: boolean[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    const byType = rank(x) - rank(y);
    if (byType !== 0) return byType;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    const c = nocase[i]
      ? compareText(foldAscii(x as string), foldAscii(y as string))
      : compareText(x as string, y as string);
    if (c !== 0) return c;
  }
  return aId - bId;
}
