import type { CountryList } from '@certdesk/shared/types';
import {
  type ComboboxItem,
  type ComboboxParsedItem,
  type OptionsFilter,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { type FocusEvent, useMemo } from 'react';
import { countryRank, exactCountry } from '../lib/country-search.js';
import {
  type CsrFormErrors,
  type CsrFormField,
  type CsrFormValues,
  sanEntryErrors,
  TEXT_FIELDS,
} from '../lib/csr-form.js';
import { CsrNameWarnings } from './csr-name-warnings.js';
import { SanInput } from './san-input.js';

interface Props {
  values: CsrFormValues;
  errors: CsrFormErrors;
  /** Fields whose errors are shown (touched, or all after "Next"). */
  shown: Partial<Record<CsrFormField, boolean>>;
  countries: CountryList['items'] | undefined;
  onChange: (patch: Partial<CsrFormValues>) => void;
  onBlur: (field: CsrFormField) => void;
}

/** Step 1: who the certificate is for. Inline errors use the server's own rules and sentences. */
export function CsrSubjectStep({ values, errors, shown, countries, onChange, onBlur }: Props) {
  const err = (f: CsrFormField) => (shown[f] ? errors[f] : undefined);
  const byCode = useMemo(() => new Map((countries ?? []).map((c) => [c.code, c])), [countries]);
  const countryData = (countries ?? []).map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }));
  // A prefilled code the list does not know is still shown, so its error has something to point at.
  if (values.country && !countryData.some((c) => c.value === values.country)) {
    countryData.unshift({ value: values.country, label: values.country });
  }

  // Codes (CH, CHE), names and the names people use (USA, UK) all match; the exact code comes first.
  const filterCountries: OptionsFilter = ({ options, search }) =>
    options
      .filter((o): o is ComboboxItem => !('group' in o))
      .map((option, index) => {
        const country = byCode.get(option.value);
        const rank = country
          ? countryRank(country, search)
          : option.label.toLowerCase().includes(search.trim().toLowerCase())
            ? 3
            : null;
        return { option, index, rank };
      })
      .filter((m) => m.rank !== null)
      .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0) || a.index - b.index)
      .map((m) => m.option as ComboboxParsedItem);

  // Leaving the field never throws away what was typed: an exact code or name is chosen, anything else
  // stays in the field with a message, instead of the field silently going blank.
  const leaveCountry = (event: FocusEvent<HTMLInputElement>) => {
    const typed = event.currentTarget.value.trim();
    const current = countryData.find((c) => c.value === values.country)?.label ?? '';
    if (typed !== current) {
      const byLabel = countryData.find((c) => c.label === typed);
      const exact = byLabel ? byCode.get(byLabel.value) : exactCountry(countries ?? [], typed);
      onChange({ country: typed === '' ? '' : (exact?.code ?? typed) });
    }
    onBlur('country');
  };
  const unknownCountry =
    countries && values.country && !byCode.has(values.country) && !byCode.has(values.country.toUpperCase());
  const countryError = unknownCountry
    ? `No country matches “${values.country}”. Pick one from the list; names and codes such as CH, CHE, USA or UK work.`
    : err('country');

  return (
    <Stack gap="md" data-testid="csr-subject">
      <TextInput
        label="Common name (CN)"
        description="The host name clients use, e.g. server.example.com, or a wildcard such as *.example.com. No https://, port or path. At most 64 characters: a longer name goes in the alternative names below, with a shorter name here or none (browsers read only the alternative names)."
        placeholder="server.example.com"
        value={values.commonName}
        error={err('commonName')}
        onChange={(e) => onChange({ commonName: e.currentTarget.value })}
        onBlur={() => onBlur('commonName')}
        data-testid="csr-common-name"
      />
      <SanInput
        label="Subject alternative names (SANs)"
        description="More DNS names, wildcards, IPv4 or IPv6 addresses. Press Enter or comma after each. The common name is added automatically."
        placeholder="www.example.com, 10.0.0.5"
        values={values.subjectAltNames}
        entryErrors={sanEntryErrors(values.subjectAltNames)}
        showEntryErrors={!!shown.subjectAltNames}
        error={err('subjectAltNames')}
        onChange={(subjectAltNames) => {
          onChange({ subjectAltNames });
          onBlur('subjectAltNames');
        }}
        onBlur={() => onBlur('subjectAltNames')}
      />
      <CsrNameWarnings values={values} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        {TEXT_FIELDS.map(({ field, label, placeholder }) => (
          <TextInput
            key={field}
            label={label}
            placeholder={placeholder}
            value={values[field]}
            error={err(field)}
            maxLength={200}
            onChange={(e) => onChange({ [field]: e.currentTarget.value })}
            onBlur={() => onBlur(field)}
          />
        ))}
        <Select
          label="Country (C)"
          placeholder={countries ? 'Search a country or its code' : 'Loading the ISO 3166 list…'}
          data={countryData}
          searchable
          clearable
          value={values.country || null}
          error={shown.country ? countryError : undefined}
          nothingFoundMessage="No country with that name or code"
          filter={filterCountries}
          selectFirstOptionOnChange
          onChange={(v) => {
            onChange({ country: v ?? '' });
            onBlur('country');
          }}
          onBlur={leaveCountry}
          data-testid="csr-country"
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        Only a name is required: the common name, or at least one alternative name. Public CAs usually ignore
        or check O, OU, L, ST and C against their own records.
      </Text>
    </Stack>
  );
}
