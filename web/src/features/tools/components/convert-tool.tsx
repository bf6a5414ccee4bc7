import { ERROR_CODES } from '@certdesk/shared/errors';
import type { ConvertTarget } from '@certdesk/shared/types';
import {
  Alert,
  Button,
  Checkbox,
  FileInput,
  Group,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { IconCircleCheck, IconUpload } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PasswordPromptModal } from '../../../components/password-prompt-modal.js';
import { isApiError, saveBlob } from '../../../lib/api-client.js';
import { useCan } from '../../../lib/permissions.js';
import { type ConvertInput, useConvertFile } from '../api/convert-file.js';

const TARGETS: Array<{ value: ConvertTarget; label: string; hint: string }> = [
  {
    value: 'pem',
    label: 'PEM',
    hint: 'Text (.pem/.crt): the certificates, leaf first; the key only if you ask for it.',
  },
  { value: 'der', label: 'DER', hint: 'Binary .cer for Windows and Java: exactly one certificate.' },
  {
    value: 'p7b',
    label: 'PKCS#7 (.p7b)',
    hint: 'Certificates only (no key), e.g. the chain for IIS or Java keytool.',
  },
  {
    value: 'pfx',
    label: 'PFX (.pfx)',
    hint: 'Certificate + chain + private key, protected by a password (IIS, Windows, Azure).',
  },
];

/** Convert between PEM, DER, PKCS#7 and PFX. The result is downloaded; nothing is stored. */
export function ConvertTool() {
  const [files, setFiles] = useState<File[]>([]);
  const [pem, setPem] = useState('');
  const [to, setTo] = useState<ConvertTarget>('pem');
  const [password, setPassword] = useState('');
  const [pfxPassword, setPfxPassword] = useState('');
  const [pfxEncryption, setPfxEncryption] = useState<'aes256' | 'legacy'>('aes256');
  const [includeKey, setIncludeKey] = useState(false);
  const [prompt, setPrompt] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const convert = useConvertFile();
  // A PFX always carries the key, as PEM with the key does: roles without key export get neither.
  const canExportKeys = useCan('keys:export');
  const targets = canExportKeys ? TARGETS : TARGETS.filter((t) => t.value !== 'pfx');

  const run = (accountPassword = '', totp?: string) => {
    setSaved(null);
    const input: ConvertInput = {
      files,
      pem,
      to,
      password,
      pfxPassword,
      pfxEncryption,
      includeKey,
      accountPassword,
      totp,
    };
    convert.mutate(input, {
      onSuccess: (result) => {
        saveBlob(result.blob, result.filename);
        setSaved(result.filename);
        setPrompt(false);
      },
    });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A key leaving the server as clear PEM needs the account password again (asked in a dialog).
    if (to === 'pem' && includeKey) setPrompt(true);
    else run();
  };
  const reauthFailed = isApiError(convert.error, ERROR_CODES.REAUTH_FAILED);
  const hasInput = files.length > 0 || pem.trim() !== '';

  return (
    <Stack gap="md">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <FileInput
            label="Files"
            description="The certificate, and for a PFX its private key and chain (several files at once are fine), or a .pfx/.p7b."
            placeholder="Choose files…"
            leftSection={<IconUpload size={16} />}
            multiple
            clearable
            value={files}
            onChange={(f) => {
              setFiles(f);
              convert.reset();
            }}
            maw={560}
            data-testid="convert-files"
          />
          <Textarea
            label="And/or paste PEM text"
            autosize
            minRows={3}
            maxRows={10}
            value={pem}
            onChange={(e) => setPem(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
            data-testid="convert-pem"
          />
          <PasswordInput
            label="Password of the input"
            description="Only when a file is a .pfx or an encrypted private key."
            autoComplete="off"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            maw={420}
          />
          <div>
            <Text size="sm" fw={500} mb={4}>
              Convert to
            </Text>
            <SegmentedControl
              value={to}
              onChange={(v) => setTo(v as ConvertTarget)}
              data={targets.map((t) => ({ value: t.value, label: t.label }))}
              data-testid="convert-target"
            />
            <Text size="xs" c="dimmed" mt={4}>
              {TARGETS.find((t) => t.value === to)?.hint}
            </Text>
          </div>
          {to === 'pfx' ? (
            <Group align="flex-start">
              <PasswordInput
                label="New PFX password"
                required
                autoComplete="new-password"
                value={pfxPassword}
                onChange={(e) => setPfxPassword(e.currentTarget.value)}
                w={300}
                data-testid="convert-pfx-password"
              />
              <Select
                label="Encryption"
                value={pfxEncryption}
                onChange={(v) => setPfxEncryption(v === 'legacy' ? 'legacy' : 'aes256')}
                data={[
                  { value: 'aes256', label: 'AES-256 (Windows Server 2019+, OpenSSL 3)' },
                  { value: 'legacy', label: 'Legacy 3DES/SHA-1 (Windows Server 2016 and older, old Java)' },
                ]}
                allowDeselect={false}
                w={420}
              />
            </Group>
          ) : null}
          {to === 'pem' && canExportKeys ? (
            <Checkbox
              label="Include the private key (unencrypted PKCS#8) — asks for your account password"
              checked={includeKey}
              onChange={(e) => setIncludeKey(e.currentTarget.checked)}
            />
          ) : null}
          <Group>
            <Button
              type="submit"
              disabled={!hasInput || (to === 'pfx' && !pfxPassword)}
              loading={convert.isPending && !prompt}
            >
              Convert and download
            </Button>
          </Group>
        </Stack>
      </form>
      {convert.isError && !reauthFailed ? (
        <ErrorAlert error={convert.error} title="Could not convert" />
      ) : null}
      {saved ? (
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} data-testid="convert-done">
          Downloaded {saved}.
        </Alert>
      ) : null}
      <PasswordPromptModal
        opened={prompt}
        title="Include the private key"
        reason="The private key will leave the server unencrypted. Enter your account password to confirm."
        confirmLabel="Convert and download"
        onSubmit={(p, totp) => run(p, totp)}
        onClose={() => {
          setPrompt(false);
          convert.reset();
        }}
        loading={convert.isPending}
        error={reauthFailed ? convert.error : undefined}
      />
    </Stack>
  );
}
