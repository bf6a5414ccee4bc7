import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PemBlock } from '../../../components/pem-block.js';
import { useDecryptKey } from '../api/decrypt-key.js';
import { PastedFileInput } from './pasted-file-input.js';

const FORMATS: Record<string, string> = {
  pkcs8: 'PKCS#8',
  pkcs1: 'PKCS#1 (traditional RSA)',
  sec1: 'SEC1 (traditional EC)',
};

/** Decrypt an encrypted private key (PKCS#8 PBES2/scrypt or traditional Proc-Type) into plain PKCS#8 PEM. */
export function DecryptKeyTool() {
  const [key, setKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const decrypt = useDecryptKey();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim()) decrypt.mutate({ key, passphrase });
  };
  const result = decrypt.data;
  return (
    <Stack gap="md">
      <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
        The decrypted key is shown in this page only; it is not stored. Anyone who gets it can impersonate the
        server: copy it straight to where it is needed.
      </Alert>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <PastedFileInput
            label="Encrypted private key"
            placeholder={'-----BEGIN ENCRYPTED PRIVATE KEY-----\n…\n-----END ENCRYPTED PRIVATE KEY-----'}
            value={key}
            onChange={(v) => {
              setKey(v);
              decrypt.reset();
            }}
            accept=".key,.pem,.der,.p8,.txt"
            testId="decrypt-key-input"
          />
          <PasswordInput
            label="Passphrase"
            autoComplete="off"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            maw={420}
            data-testid="decrypt-key-passphrase"
          />
          <Group>
            <Button type="submit" disabled={!key.trim()} loading={decrypt.isPending}>
              Decrypt
            </Button>
          </Group>
        </Stack>
      </form>
      {decrypt.isError ? <ErrorAlert error={decrypt.error} title="Could not decrypt" /> : null}
      {result ? (
        <Stack gap="xs" data-testid="decrypted-key">
          <Text size="sm">
            Decrypted: {result.keyType === 'rsa' ? `RSA ${result.keySize}-bit` : `ECDSA ${result.curve}`} key,
            stored as encrypted {FORMATS[result.sourceFormat] ?? result.sourceFormat}, shown below unencrypted
            as PKCS#8.
          </Text>
          <PemBlock value={result.keyPem} label="Decrypted key (PKCS#8 PEM)" />
        </Stack>
      ) : null}
    </Stack>
  );
}
