import type { RecoveryCodes } from '@certdesk/shared/types';
import { Button, Code, Group, Image, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { CopyButton } from '../../../components/copy-button.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useEnableTwoFactor } from '../api/enable-two-factor.js';
import { useStartSetup } from '../api/start-setup.js';

/**
 * The QR code is an SVG document made by the server; it is shown as an image (data: URL), never put
 * into the page as markup, so nothing in it can run.
 */
function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** Base32 in groups of four, easier to type into an app. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/** Set-up: a new secret as a QR code and as text, then a code from the app to confirm. */
export function EnrolPanel({ onEnabled }: { onEnabled: (codes: RecoveryCodes) => void }) {
  const setup = useStartSetup();
  const enable = useEnableTwoFactor();
  const [code, setCode] = useState('');

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    if (code.length !== 6) return;
    enable.mutate(
      { code },
      {
        onSuccess: (codes) => {
          setup.reset();
          setCode('');
          onEnabled(codes);
        },
        onError: () => setCode(''),
      },
    );
  };

  if (!setup.data) {
    return (
      <Paper withBorder p="lg" radius="md">
        <Stack gap="sm" align="flex-start">
          <Title order={2} size="h4">
            Set up two-factor sign-in
          </Title>
          <Text size="sm">
            After your password, certdesk will ask for a 6-digit code from an authenticator app on your phone
            (for example Google Authenticator, Microsoft Authenticator, Aegis or 1Password). Someone who
            learns your password still cannot sign in.
          </Text>
          <ErrorAlert error={setup.error} title="Set-up could not start" />
          <Button onClick={() => setup.mutate()} loading={setup.isPending} data-testid="totp-start">
            Set up
          </Button>
        </Stack>
      </Paper>
    );
  }

  const { secret, qrSvg } = setup.data;
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="md">
        <Title order={2} size="h4">
          Set up two-factor sign-in
        </Title>
        <List type="ordered" spacing="xs" size="sm">
          <List.Item>Open your authenticator app and add an account.</List.Item>
          <List.Item>Scan this QR code, or type the key below.</List.Item>
          <List.Item>Enter the 6-digit code the app shows.</List.Item>
        </List>
        <Group align="flex-start" gap="xl" wrap="wrap">
          <Image
            src={svgDataUrl(qrSvg)}
            alt="QR code for your authenticator app"
            w={200}
            h={200}
            bg="white"
            data-testid="totp-qr"
          />
          <Stack gap={6} style={{ flex: '1 1 240px' }}>
            <Text size="sm" fw={600}>
              Key for typing in by hand
            </Text>
            <Group gap="xs" wrap="nowrap">
              <Code fz="md" data-testid="totp-secret">
                {grouped(secret)}
              </Code>
              <CopyButton value={secret} />
            </Group>
            <Text size="xs" c="dimmed">
              Time-based, 6 digits, every 30 seconds (SHA-1) — the defaults of every app.
            </Text>
          </Stack>
        </Group>
        <form onSubmit={confirm}>
          <Stack gap="sm" maw={320}>
            <TextInput
              label="Code from the app"
              name="totp"
              autoComplete="one-time-code"
              inputMode="numeric"
              pattern="[0-9]*"
              maxLength={6}
              required
              value={code}
              onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
            />
            <ErrorAlert error={enable.error} title="Not turned on" />
            <Group>
              <Button type="submit" loading={enable.isPending} disabled={code.length !== 6}>
                Turn on
              </Button>
              <Button variant="default" onClick={() => setup.reset()}>
                Cancel
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
