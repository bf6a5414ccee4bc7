import { ERROR_CODES } from '@certdesk/shared/errors';
import type { DecodedCertificate, DecodedFile, DecodedKeyInfo } from '@certdesk/shared/types';
import {
  Accordion,
  Alert,
  Badge,
  Button,
  Code,
  FileInput,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconFileInfo, IconKey, IconUpload } from '@tabler/icons-react';
import { type FormEvent, type ReactNode, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { FieldRows } from '../../../components/field-rows.js';
import { PemBlock } from '../../../components/pem-block.js';
import { isApiError } from '../../../lib/api-client.js';
import { useDecodeFile } from '../api/decode-file.js';
import { DecodedCsrView } from './decode-csr-tool.js';
import { CrlCard } from './decoded-crl-card.js';

const date = (iso: string) => `${new Date(iso).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

function validity(c: DecodedCertificate) {
  if (c.daysLeft < 0) return <Badge color="red">expired</Badge>;
  if (new Date(c.notBefore).getTime() > Date.now()) return <Badge color="orange">not yet valid</Badge>;
  return (
    <Badge color={c.daysLeft < 30 ? 'orange' : 'teal'} variant="light">
      {c.daysLeft} days left
    </Badge>
  );
}

function CertificateCard({ c, index }: { c: DecodedCertificate; index: number }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid="decoded-certificate">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          Certificate {index + 1}: {c.commonName ?? c.subject}
        </Title>
        <Group gap={6}>
          {c.isCa ? (
            <Badge variant="light">CA</Badge>
          ) : (
            <Badge variant="light" color="gray">
              end entity
            </Badge>
          )}
          {c.selfSigned ? (
            <Badge variant="light" color="grape">
              self-signed
            </Badge>
          ) : null}
          {c.hasPrivateKey ? (
            <Badge variant="light" color="teal" leftSection={<IconKey size={12} />}>
              key in file
            </Badge>
          ) : null}
          {validity(c)}
        </Group>
      </Group>
      <FieldRows
        rows={[
          ['Subject', c.subject],
          ['Issuer', c.issuer],
          ...(c.friendlyName ? [['Friendly name', c.friendlyName] as [string, string]] : []),
          ['Serial number', <Code key="sn">{c.serialNumber}</Code>],
          ['Valid from', date(c.notBefore)],
          ['Valid to', date(c.notAfter)],
          [
            'Subject alternative names',
            c.subjectAltNames.length ? (
              <Group key="sans" gap={4}>
                {c.subjectAltNames.map((n) => (
                  <Badge key={n} variant="light" color="gray" tt="none">
                    {n}
                  </Badge>
                ))}
              </Group>
            ) : (
              'none'
            ),
          ],
          ['Public key', c.publicKey],
          ['Signature algorithm', c.signatureAlgorithm],
          ['SHA-1 thumbprint', <Code key="t">{c.thumbprintSha1}</Code>],
          ['SHA-256 fingerprint', <Code key="f">{c.fingerprintSha256}</Code>],
        ]}
      />
      <Accordion variant="contained" mt="sm" chevronPosition="left">
        <Accordion.Item value="ext">
          <Accordion.Control>Extensions ({c.extensions.length})</Accordion.Control>
          <Accordion.Panel>
            <FieldRows
              rows={c.extensions.map((e) => [
                `${e.name}${e.critical ? ' (critical)' : ''}`,
                <Stack key={e.oid} gap={0}>
                  {e.value.map((line, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: lines of one extension, in order
                    <Text key={i} size="sm" ff="monospace">
                      {line}
                    </Text>
                  ))}
                </Stack>,
              ])}
            />
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="pem">
          <Accordion.Control>PEM</Accordion.Control>
          <Accordion.Panel>
            <PemBlock value={c.pem} label="Certificate (PEM)" maxHeight={240} />
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Paper>
  );
}

function keyLabel(k: DecodedKeyInfo): string {
  if (!k.decrypted) return 'Encrypted private key (type unknown until decrypted)';
  if (k.keyType === 'rsa') return `RSA ${k.keySize}-bit private key`;
  if (k.keyType === 'ec') return `ECDSA ${k.curve} private key`;
  if (k.keyType === 'dsa') return `DSA ${k.keySize}-bit private key`;
  return `${k.keyType} private key`;
}

function KeyCard({ k, certs }: { k: DecodedKeyInfo; certs: DecodedCertificate[] }) {
  const match = certs.find((c) => c.fingerprintSha256 === k.matchesCertificate);
  return (
    <Paper withBorder radius="md" p="md" data-testid="decoded-key">
      <Group gap="xs" mb="xs">
        <IconKey size={18} />
        <Title order={2} size="h5">
          {keyLabel(k)}
        </Title>
        {k.encrypted ? (
          <Badge variant="light">encrypted</Badge>
        ) : (
          <Badge variant="light" color="orange">
            not encrypted
          </Badge>
        )}
      </Group>
      <FieldRows
        rows={[
          ...(k.friendlyName ? [['Friendly name', k.friendlyName] as [string, string]] : []),
          [
            'Belongs to',
            !k.decrypted
              ? 'Enter the passphrase to check'
              : match
                ? `Certificate "${match.commonName ?? match.subject}" — the key matches`
                : certs.length
                  ? 'None of the certificates in this file'
                  : 'No certificate in this file',
          ],
          ...(k.publicKeySha256
            ? [['Public key SHA-256', <Code key="pk">{k.publicKeySha256}</Code>] as [string, ReactNode]]
            : []),
        ]}
      />
      <Text size="xs" c="dimmed" mt="xs">
        The key itself is never shown here. To get it decrypted, use the "Decrypt private key" tool.
      </Text>
    </Paper>
  );
}

function DecodedView({ d }: { d: DecodedFile }) {
  return (
    <Stack gap="md" data-testid="decoded-file">
      <Alert color="blue" variant="light" icon={<IconFileInfo size={18} />} title={d.formatName}>
        <Text size="sm" data-testid="decoded-summary">
          {d.summary}
        </Text>
      </Alert>
      {d.certificates.map((c, i) => (
        // A PEM bundle may repeat a certificate: the position keeps the keys unique.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <CertificateCard key={`${c.fingerprintSha256}-${i}`} c={c} index={i} />
      ))}
      {d.keys.map((k, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: locked keys have no identity yet
        <KeyCard key={i} k={k} certs={d.certificates} />
      ))}
      {d.crls.map((crl) => (
        <CrlCard key={crl.fingerprintSha256} crl={crl} />
      ))}
      {d.csrs.map((csr) => (
        <Paper key={csr.publicKeySha256 + csr.subjectDn} withBorder radius="md" p="md">
          <Title order={2} size="h5" mb="sm">
            Certificate signing request
          </Title>
          <DecodedCsrView csr={csr} />
        </Paper>
      ))}
    </Stack>
  );
}

/** Decode any file (certificate, bundle, .p7b, .pfx, CSR, key, CRL), like `openssl x509|req|crl|pkcs12 -text`. */
export function DecodeFileTool() {
  const [file, setFile] = useState<File | null>(null);
  const [pem, setPem] = useState('');
  const [password, setPassword] = useState('');
  const decode = useDecodeFile();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file || pem.trim()) decode.mutate({ file, pem, password });
  };
  const needsPassword = isApiError(decode.error, ERROR_CODES.WRONG_PASSWORD);
  return (
    <Stack gap="md">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <FileInput
            label="File"
            description="Certificate (.crt/.cer/.pem, PEM or DER), bundle, .p7b, .pfx/.p12, CSR, key or CRL. The format is read from the content."
            placeholder="Choose a file…"
            leftSection={<IconUpload size={16} />}
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the chosen file' }}
            value={file}
            onChange={(f) => {
              setFile(f);
              decode.reset();
            }}
            maw={560}
            data-testid="decode-file-input"
          />
          <Textarea
            label="Or paste PEM text"
            placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
            autosize
            minRows={4}
            maxRows={12}
            disabled={!!file}
            value={pem}
            onChange={(e) => {
              setPem(e.currentTarget.value);
              decode.reset();
            }}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
            data-testid="decode-file-pem"
          />
          <PasswordInput
            label="Password"
            description="Only for a .pfx/.p12 file or an encrypted private key."
            autoComplete="off"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={needsPassword ? 'Enter the right password for this file.' : undefined}
            maw={420}
            data-testid="decode-file-password"
          />
          <Group>
            <Button type="submit" disabled={!file && !pem.trim()} loading={decode.isPending}>
              Decode
            </Button>
          </Group>
        </Stack>
      </form>
      {decode.isError ? <ErrorAlert error={decode.error} title="Could not decode" /> : null}
      {decode.data ? <DecodedView d={decode.data} /> : null}
    </Stack>
  );
}
