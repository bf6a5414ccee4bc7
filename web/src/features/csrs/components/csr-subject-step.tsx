import type { CountryList } from '@certdesk/shared/types';
import { Select, SimpleGrid, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { type CsrFormErrors, type CsrFormField, type CsrFormValues, TEXT_FIELDS } from '../lib/csr-form.js';
import { CsrNameWarnings } from './csr-name-warnings.js';

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
  const countryData = (countries ?? []).map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }));
  // A prefilled code the list does not know is still shown, so its error has something to point at.
  if (values.country && !countryData.some((c) => c.value === values.country)) {
    countryData.unshift({ value: values.country, label: values.country });
  }
  return (
    <Stack gap="md">
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
      <TagsInput
        label="Subject alternative names (SANs)"
        description="More DNS names, wildcards, IPv4 or IPv6 addresses. Press Enter or comma after each. The common name is added automatically."
        placeholder={values.subjectAltNames.length ? '' : 'www.example.com, 10.0.0.5'}
        value={values.subjectAltNames}
        splitChars={[',', ' ', ';']}
        clearable
        acceptValueOnBlur
        error={err('subjectAltNames')}
        onChange={(subjectAltNames) => {
          onChange({ subjectAltNames });
          onBlur('subjectAltNames');
        }}
        onBlur={() => onBlur('subjectAltNames')}
        data-testid="csr-sans"
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
          error={err('country')}
          nothingFoundMessage="No country with that name or code"
          onChange={(v) => {
            onChange({ country: v ?? '' });
            onBlur('country');
          }}
          onBlur={() => onBlur('country')}
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
