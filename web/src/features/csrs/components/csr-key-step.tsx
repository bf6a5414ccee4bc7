import { Alert, Radio, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { CsrFormValues } from '../lib/csr-form.js';

interface Props {
  values: CsrFormValues;
  onChange: (patch: Partial<CsrFormValues>) => void;
}

/** Step 2: the key. The key is generated on the server and stays there, encrypted, until the certificate comes back. */
export function CsrKeyStep({ values, onChange }: Props) {
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Text fw={500} size="sm">
          Key type
        </Text>
        <SegmentedControl
          value={values.keyType}
          onChange={(v) => onChange({ keyType: v as CsrFormValues['keyType'] })}
          data={[
            { value: 'rsa', label: 'RSA' },
            { value: 'ec', label: 'ECDSA' },
          ]}
          w={260}
          data-testid="csr-key-type"
        />
      </Stack>
      {values.keyType === 'rsa' ? (
        <Radio.Group
          label="Key size"
          value={values.keySize}
          onChange={(v) => onChange({ keySize: v as CsrFormValues['keySize'] })}
        >
          <Stack gap="xs" mt="xs">
            <Radio value="2048" label="2048 bits — accepted everywhere; the usual choice" />
            <Radio value="3072" label="3072 bits — stronger, slightly slower handshakes" />
            <Radio value="4096" label="4096 bits — strongest RSA; takes a few seconds to generate" />
          </Stack>
        </Radio.Group>
      ) : (
        <Radio.Group
          label="Curve"
          value={values.curve}
          onChange={(v) => onChange({ curve: v as CsrFormValues['curve'] })}
        >
          <Stack gap="xs" mt="xs">
            <Radio value="P-256" label="P-256 (prime256v1) — fast, supported by every modern client" />
            <Radio value="P-384" label="P-384 (secp384r1) — stronger, a little slower" />
          </Stack>
        </Radio.Group>
      )}
      <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />}>
        The request is signed with SHA-256. The private key is generated on this server and stored encrypted;
        when the CA sends the certificate back, certdesk pairs them automatically. Some old clients (Windows
        XP, Java 6) cannot use ECDSA.
      </Alert>
    </Stack>
  );
}
