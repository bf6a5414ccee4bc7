import type { Counted } from './certificate-status.js';

interface Entry {
  counts: Counted;
  /** The instant they were computed at, and the last instant they stay right (the next expiry). */
  from: number;
  until: number;
}

/** Bounded: one entry per search term and one for the whole inventory. */
const MAX_ENTRIES = 256;

/**
 * Status counts of the inventory and of searches, kept while they cannot have changed: the same
 * generation of the inventory, and a time between when they were computed and the next expiry.
 */
export class CountCache {
  private generation = -1;
  private readonly entries = new Map<string, Entry>();

  get(key: string, generation: number, nowMs: number): Counted | undefined {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
      return undefined;
    }
    const entry = this.entries.get(key);
    if (!entry || nowMs < entry.from || nowMs > entry.until) return undefined;
    return { ...entry.counts };
  }

  set(key: string, generation: number, fromMs: number, untilMs: number, counts: Counted): void {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { counts: { ...counts }, from: fromMs, until: untilMs });
  }
}
