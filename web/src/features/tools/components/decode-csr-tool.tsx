import type { DecodedCsr } from '@certdesk/shared/types';
import { Alert, Badge, Button, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { FieldRows } from '../../../components/field-rows.js';
import { PemBlock } from '../../../components/pem-block.js';
import { useDecodeCsr } from '../api/decode-csr.js';
import { PastedFileInput } from './pasted-file-input.js';

/** The fields of one decoded CSR (also used by the "decode any file" tool). */
export function DecodedCsrView({ csr }: { csr: DecodedCsr }) {
  const key =
    csr.keyType === 'rsa'
      ? `RSA ${csr.keySize} bits`
      : csr.keyType === 'ec'
        ? `ECDSA ${csr.curve}`
        : csr.keyType;
  return (
    <Stack gap="md" data-testid="decoded-csr">
      {csr.signatureValid ? (
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title="Signature verified">
          The request is signed by the private key whose public half it carries (like{' '}
          <Code>openssl req -verify</Code>).
        </Alert>
      ) : (
        <Alert color="red" variant="light" icon={<IconCircleX size={18} />} title="Signature does not verify">
          The request was altered after signing, or is signed with an algorithm that cannot be checked. A CA
          will reject it.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder radius="md" p="md">
          <Title order={2} size="h5" mb="xs">
            Subject
          </Title>
          <FieldRows
            rows={[
              ...csr.subject.map((a) => [`${a.name} (${a.shortName})`, a.value] as [string, string]),
              ['Distinguished name', <Code key="dn">{csr.subjectDn}</Code>],
            ]}
          />
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Title order={2} size="h5" mb="xs">
            Key and signature
          </Title>
          <FieldRows
            rows={[
              ['Public key', key],
              ['Signature algorithm', csr.signatureAlgorithm],
              ['Public key SHA-256', <Code key="pk">{csr.publicKeySha256}</Code>],
              [
                'Extensions',
                csr.extensions.length
                  ? csr.extensions.map((e) => `${e.name}${e.critical ? ' (critical)' : ''}`).join(', ')
                  : 'none',
              ],
            ]}
          />
        </Paper>
      </SimpleGrid>
      <Paper withBorder radius="md" p="md">
        <Title order={2} size="h5" mb="xs">
          Subject alternative names
        </Title>
        {csr.subjectAltNames.length ? (
          <Group gap={6}>
            {csr.subjectAltNames.map((n) => (
              <Badge key={`${n.type}:${n.value}`} variant="light" color="gray" tt="none">
                {n.type}: {n.value}
              </Badge>
            ))}
          </Group>
        ) : (
          <Text size="sm" c="orange">
            None. Browsers ignore the common name: a certificate without SANs is not trusted for any host
            name.
          </Text>
        )}
      </Paper>
      <PemBlock value={csr.pem} label="CSR (PEM)" />
    </Stack>
  );
}

/** Decode a CSR (pasted or opened), like `openssl req -text -verify -noout`. */
export function DecodeCsrTool() {
  const [text, setText] = useState('');
  const decode = useDecodeCsr();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) decode.mutate({ csr: text });
  };
  return (
    <Stack gap="md">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <PastedFileInput
            label="Certificate signing request"
            placeholder={'-----BEGIN CERTIFICATE REQUEST-----\n…\n-----END CERTIFICATE REQUEST-----'}
            value={text}
            onChange={(v) => {
              setText(v);
              decode.reset();
            }}
            accept=".csr,.req,.pem,.der,.txt"
            testId="decode-csr-input"
          />
          <Group>
            <Button type="submit" disabled={!text.trim()} loading={decode.isPending}>
              Decode
            </Button>
          </Group>
        </Stack>
      </form>
      {decode.isError ? <ErrorAlert error={decode.error} title="Could not decode" /> : null}
      {decode.data ? <DecodedCsrView csr={decode.data} /> : null}
    </Stack>
  );
}
