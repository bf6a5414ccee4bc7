import type { CountryList } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { csrKeys } from './query-keys.js';

/** The ISO 3166-1 alpha-2 list comes from the server (i18n-iso-countries), so both sides check the same list. */
export function getCountries(signal?: AbortSignal): Promise<CountryList> {
  return api.get<CountryList>('/csrs/countries', undefined, signal);
}

export const countriesQueryOptions = () =>
  queryOptions({
    queryKey: csrKeys.countries,
    queryFn: ({ signal }) => getCountries(signal),
    staleTime: Infinity,
  });

export function useCountries() {
  return useQuery(countriesQueryOptions());
}
