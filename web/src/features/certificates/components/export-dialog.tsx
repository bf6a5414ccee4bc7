import type { CertificateDetail, ExportFormat } from '@certdesk/shared/types';
import { Alert, Button, Group, Modal, PasswordInput, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock } from '@tabler/icons-react';
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { asksForCode, TwoFactorCodeInput } from '../../../components/two-factor-code-input.js';
import { useCan } from '../../../lib/permissions.js';
import { useExportCertificate } from '../api/export-certificate.js';

const FORMATS: { value: ExportFormat; label: string; hint: string; key?: boolean }[] = [
  {
    value: 'pfx',
    label: 'PFX / PKCS#12 (.pfx)',
    hint: 'Certificate, intermediates and private key, protected by a password. For IIS, Windows, Java.',
    key: true,
  },
  {
    value: 'fullchain',
    label: 'Full chain PEM',
    hint: 'Certificate then intermediates: what nginx, Apache and HAProxy serve.',
  },
  { value: 'pem', label: 'Certificate PEM (.crt)', hint: 'The certificate alone, Base-64.' },
  {
    value: 'der',
    label: 'Certificate DER (.cer)',
    hint: 'The certificate alone, binary (Windows "DER encoded binary X.509").',
  },
  {
    value: 'p7b',
    label: 'PKCS#7 (.p7b)',
    hint: 'Certificate and intermediates, binary, without the key: what Windows imports as a chain.',
  },
  { value: 'chain', label: 'Chain PEM', hint: 'The intermediates alone, without the certificate.' },
  {
    value: 'key',
    label: 'Private key PEM (.key)',
    hint: 'PKCS#8, optionally encrypted with a passphrase.',
    key: true,
  },
];

interface Props {
  cert: CertificateDetail;
  opened: boolean;
  onClose: () => void;
}

/** Export in any format; formats that carry the private key ask for the account password again. */
export function ExportDialog({ cert, opened, onClose }: Props) {
  const mutation = useExportCertificate(cert.id);
  // Roles without private-key export never see the formats that carry the key.
  const canExportKeys = useCan('keys:export');
  const formats = canExportKeys ? FORMATS : FORMATS.filter((f) => !f.key);
  const [format, setFormat] = useState<ExportFormat>(cert.hasKey && canExportKeys ? 'pfx' : 'fullchain');
  const [pfxEncryption, setPfxEncryption] = useState<'aes256' | 'legacy'>('aes256');
  const [pfxPassword, setPfxPassword] = useState('');
  const [pfxConfirm, setPfxConfirm] = useState('');
  const [keyPassphrase, setKeyPassphrase] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');

  // Secrets never outlive the dialog.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the dialog opens or closes, not when the mutation object changes
  useEffect(() => {
    if (!opened) {
      setPfxPassword('');
      setPfxConfirm('');
      setKeyPassphrase('');
      setPassword('');
      setTotp('');
      mutation.reset();
    }
  }, [opened]);

  const selected = formats.find((f) => f.value === format);
  const withKey = Boolean(selected?.key);
  const mismatch = format === 'pfx' && pfxConfirm !== '' && pfxConfirm !== pfxPassword;
  const noChain = format === 'chain' && cert.chain.every((l) => l.role !== 'intermediate');
  const canSubmit =
    !noChain &&
    (!withKey || (cert.hasKey && password !== '')) &&
    (format !== 'pfx' || (pfxPassword !== '' && pfxPassword === pfxConfirm));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!canSubmit) return;
    mutation.mutate(
      {
        format,
        ...(format === 'pfx' ? { pfxPassword, pfxEncryption } : {}),
        ...(format === 'key' && keyPassphrase ? { keyPassphrase } : {}),
        ...(withKey ? { password, ...(totp ? { totp } : {}) } : {}),
      },
      {
        onSuccess: (filename) => {
          notifications.show({ color: 'teal', title: 'Exported', message: `Saved ${filename}.` });
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>Export {cert.commonName ?? 'certificate'}</Text>}
      size="lg"
    >
      <form onSubmit={submit}>
        <Stack gap="md">
          <Radio.Group value={format} onChange={(v) => setFormat(v as ExportFormat)} label="Format">
            <Stack gap="xs" mt="xs">
              {formats.map((f) => (
                <Radio
                  key={f.value}
                  value={f.value}
                  label={f.label}
                  description={
                    f.key && !cert.hasKey
                      ? 'Not available: no private key is stored for this certificate.'
                      : f.hint
                  }
                  disabled={f.key && !cert.hasKey}
                  data-format={f.value}
                />
              ))}
            </Stack>
          </Radio.Group>
          {noChain ? (
            <Alert color="orange" variant="light">
              No intermediates are stored with this certificate. Export the certificate or the full chain
              instead.
            </Alert>
          ) : null}
          {format === 'pfx' ? (
            <Stack gap="xs">
              <Radio.Group
                value={pfxEncryption}
                onChange={(v) => setPfxEncryption(v as 'aes256' | 'legacy')}
                label="Encryption"
              >
                <Group mt="xs">
                  <Radio
                    value="aes256"
                    label="AES-256 (recommended)"
                    description="Windows 10 1709+, Server 2019+, OpenSSL 3, Java 11+"
                  />
                  <Radio
                    value="legacy"
                    label="TripleDES-SHA1 (legacy)"
                    description="Older Windows and Java"
                  />
                </Group>
              </Radio.Group>
              <PasswordInput
                label="PFX password"
                description="Whoever imports the file will need it."
                required
                value={pfxPassword}
                onChange={(e) => setPfxPassword(e.currentTarget.value)}
                autoComplete="new-password"
              />
              <PasswordInput
                label="Confirm PFX password"
                required
                value={pfxConfirm}
                onChange={(e) => setPfxConfirm(e.currentTarget.value)}
                error={mismatch ? 'The passwords differ.' : undefined}
                autoComplete="new-password"
              />
            </Stack>
          ) : null}
          {format === 'key' ? (
            <PasswordInput
              label="Passphrase for the key file (optional)"
              description="With a passphrase the key is written as encrypted PKCS#8 (AES-256)."
              value={keyPassphrase}
              onChange={(e) => setKeyPassphrase(e.currentTarget.value)}
              autoComplete="new-password"
            />
          ) : null}
          {withKey ? (
            <>
              <Alert color="yellow" variant="light" icon={<IconLock size={18} />}>
                The private key is leaving the server. Confirm with your account password; the export is
                recorded in the audit log.
              </Alert>
              <PasswordInput
                label="Your account password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                autoComplete="current-password"
              />
              {asksForCode(mutation.error) || totp ? (
                <TwoFactorCodeInput value={totp} onChange={setTotp} />
              ) : null}
            </>
          ) : null}
          {mutation.error ? <ErrorAlert error={mutation.error} title="Export failed" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={mutation.isPending}
              disabled={!canSubmit}
              data-testid="export-submit"
            >
              Export
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
