import { mergeSubjectAltNames } from '@certdesk/shared/rules';
import { Badge, Group, Progress, Stack, Table, Text } from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { type CsrFormValues, keyLabel, TEXT_FIELDS } from '../lib/csr-form.js';
import { CsrNameWarnings } from './csr-name-warnings.js';

/** Step 3: everything that goes into the request, as the CA will see it. */
export function CsrReviewStep({
  values,
  countryName,
}: {
  values: CsrFormValues;
  countryName: string | null;
}) {
  const sans = mergeSubjectAltNames(values.commonName, values.subjectAltNames);
  const rows: Array<[string, ReactNode]> = [
    ['Common name (CN)', values.commonName.trim().toLowerCase() || 'None: the names are in the SANs'],
    ...TEXT_FIELDS.filter(({ field }) => values[field].trim()).map(
      ({ field, label }) => [label, values[field].trim()] as [string, string],
    ),
  ];
  if (values.country)
    rows.push(['Country (C)', countryName ? `${countryName} (${values.country})` : values.country]);
  rows.push([
    'Subject alternative names',
    <Group gap={6} key="sans">
      {sans.map((s) => (
        <Badge key={s} variant="light" color="gray" tt="none">
          {s}
        </Badge>
      ))}
    </Group>,
  ]);
  rows.push(['Key', keyLabel(values)]);
  rows.push(['Signature', 'SHA-256']);
  return (
    <Stack gap="md">
      <Table withRowBorders={false} verticalSpacing={6} data-testid="csr-review">
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td w={240}>
                <Text size="sm" c="dimmed">
                  {k}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" component="div">
                  {v}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <CsrNameWarnings values={values} />
    </Stack>
  );
}

/** Shown while the server makes the key: RSA-4096 takes seconds, so say so and count them. */
export function GeneratingProgress({ values }: { values: CsrFormValues }) {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 250);
    return () => clearInterval(timer);
  }, []);
  const slow = values.keyType === 'rsa' && values.keySize !== '2048';
  return (
    <Stack gap={6} role="status" aria-live="polite" data-testid="csr-generating">
      <Text size="sm">
        Generating the {keyLabel(values)} key and signing the request…{seconds > 0 ? ` ${seconds} s` : ''}
      </Text>
      <Progress value={100} striped animated size="lg" />
      {slow ? (
        <Text size="xs" c="dimmed">
          Large RSA keys take a few seconds (sometimes more) to generate; the rest of the console stays usable
          meanwhile.
        </Text>
      ) : null}
    </Stack>
  );
}
