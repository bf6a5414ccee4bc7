import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { compareSortKeys, type SortKey } from '../../src/store/sort-keys.js';

/**
 * compareSortKeys must order exactly as SQLite's ORDER BY (BINARY compares UTF-8 bytes, NOCASE folds
 * ASCII only, NULL before numbers before text, the id last): a kept sort puts changed rows back with it.
 */
const ALPHABET = [
  'a',
  'A',
  'z',
  'Z',
  '-',
  '.',
  ' ',
  'ä',
  'Ä',
  'ß',
  '\uffee',
  '\ue000',
  '\u{1d518}',
  '\u{1f600}',
  '0',
  '9',
];

function randomText(rand: () => number): string {
  const n = Math.floor(rand() * 4);
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

test('orders text, numbers and NULLs as SQLite does, with and without NOCASE', () => {
  const db = new Database(':memory:');
  try {
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a, b)');
    const insert = db.prepare('INSERT INTO t (id, a, b) VALUES (?, ?, ?)');
    const rand = rng(7);
    const value = (): string | number | null => {
      const r = rand();
      return r < 0.1 ? null : r < 0.25 ? Math.floor(rand() * 5) : randomText(rand);
    };
    for (let id = 1; id <= 600; id++) insert.run(id, value(), value());
    for (const nocase of [false, true])
      for (const dir of ['ASC', 'DESC'] as const) {
        const collate = nocase ? 'COLLATE NOCASE' : '';
        const want = db
          .prepare(`SELECT id, a, b FROM t ORDER BY a ${collate} ${dir}, b ${dir}, id ${dir}`)
          .raw()
          .all() as [number, ...SortKey][];
        const sign = dir === 'ASC' ? 1 : -1;
        const got = [...want]
          .sort(() => rand() - 0.5)
          .sort((x, y) => sign * compareSortKeys(x.slice(1), x[0], y.slice(1), y[0], [nocase, false]));
        assert.deepEqual(
          got.map((r) => r[0]),
          want.map((r) => r[0]),
          `${nocase ? 'NOCASE' : 'BINARY'} ${dir}`,
        );
      }
  } finally {
    db.close();
  }
});
