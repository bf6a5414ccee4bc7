import type { CountryList } from '@certdesk/shared/types';

export type Country = CountryList['items'][number];

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\./g, '')
    .toLowerCase()
    .trim();

/**
 * How well a country answers what the admin typed, lower is better, null for no match:
 * 0 its code (CH, CHE) or one of its names exactly (USA, UK, Germany), 1 a name starting with it,
 * 2 a word of a name starting with it, 3 anywhere in a name. So "CH" lists Switzerland before Chad.
 */
export function countryRank(country: Country, typed: string): number | null {
  const q = fold(typed);
  if (q === '') return 1;
  if (q === country.code.toLowerCase() || q === country.alpha3.toLowerCase()) return 0;
  const names = [country.name, ...country.aliases].map(fold);
  if (names.includes(q)) return 0;
  if (names.some((n) => n.startsWith(q))) return 1;
  if (names.some((n) => n.split(/[\s,()-]+/).some((w) => w.startsWith(q)))) return 2;
  if (names.some((n) => n.includes(q))) return 3;
  return null;
}

/** The countries matching `typed`, best first (ties by name, as listed). */
export function searchCountries(countries: readonly Country[], typed: string): Country[] {
  return countries
    .map((country, index) => ({ country, index, rank: countryRank(country, typed) }))
    .filter((m): m is { country: Country; index: number; rank: number } => m.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((m) => m.country);
}

/** The one country `typed` names exactly (a code or a name), or null: what leaving the field selects. */
export function exactCountry(countries: readonly Country[], typed: string): Country | null {
  const exact = countries.filter((c) => countryRank(c, typed) === 0);
  return exact.length === 1 ? (exact[0] as Country) : null;
}
