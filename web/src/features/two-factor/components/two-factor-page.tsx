import type { RecoveryCodes } from '@certdesk/shared/types';
import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconShieldCheck, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { PasswordPromptModal } from '../../../components/password-prompt-modal.js';
import { useDisableTwoFactor } from '../api/disable-two-factor.js';
import { useTwoFactorStatus } from '../api/get-two-factor-status.js';
import { useRegenerateRecoveryCodes } from '../api/regenerate-recovery-codes.js';
import { EnrolPanel } from './enrol-panel.js';
import { RecoveryCodesPanel } from './recovery-codes-panel.js';

/** Two-factor sign-in of the signed-in account: set up, recovery codes, turn off. */
export function TwoFactorPage() {
  const status = useTwoFactorStatus();
  const disable = useDisableTwoFactor();
  const regenerate = useRegenerateRecoveryCodes();
  const [codes, setCodes] = useState<RecoveryCodes | null>(null);
  const [asking, setAsking] = useState<'disable' | 'regenerate' | null>(null);

  const header = (
    <PageHeader
      title="Two-factor sign-in"
      description="A code from an authenticator app on your phone, asked after your password at every sign-in and before a private key leaves the server."
    />
  );
  if (status.isLoading)
    return (
      <>
        {header}
        <PageLoader label="Loading…" />
      </>
    );
  if (!status.data)
    return (
      <>
        {header}
        <ErrorAlert error={status.error} title="Two-factor sign-in could not be loaded" />
      </>
    );
  const s = status.data;

  const close = () => {
    disable.reset();
    regenerate.reset();
    setAsking(null);
  };
  const submit = (password: string, totp?: string) => {
    const body = { password, totp: totp ?? '' };
    if (asking === 'disable') {
      disable.mutate(body, {
        onSuccess: () => {
          notifications.show({ color: 'gray', message: 'Two-factor sign-in is off.' });
          close();
        },
      });
    } else {
      regenerate.mutate(body, {
        onSuccess: (fresh) => {
          setCodes(fresh);
          close();
        },
      });
    }
  };

  return (
    <Stack gap="lg" maw={760}>
      {header}
      {s.requiredForEveryone && !s.enabled ? (
        <Alert color="orange" variant="light" icon={<IconShieldLock size={18} />} title="Required here">
          An administrator requires two-factor sign-in for every account. Set it up to use the console.
        </Alert>
      ) : null}
      {codes ? <RecoveryCodesPanel codes={codes.recoveryCodes} onDone={() => setCodes(null)} /> : null}
      {s.enabled ? (
        <Paper withBorder p="lg" radius="md">
          <Stack gap="sm">
            <Group gap="sm">
              <IconShieldCheck size={22} color="var(--mantine-color-teal-6)" aria-hidden />
              <Title order={2} size="h4">
                Two-factor sign-in is on
              </Title>
              <Badge color="teal" data-testid="totp-status">
                On
              </Badge>
            </Group>
            <Text size="sm">
              Recovery codes left: <strong data-testid="recovery-left">{s.recoveryCodesLeft}</strong> of 10.
            </Text>
            <Group>
              <Button variant="light" onClick={() => setAsking('regenerate')}>
                New recovery codes
              </Button>
              <Button
                variant="light"
                color="red"
                onClick={() => setAsking('disable')}
                disabled={s.requiredForEveryone}
                title={s.requiredForEveryone ? 'Required for everyone by an administrator' : undefined}
              >
                Turn off
              </Button>
            </Group>
          </Stack>
        </Paper>
      ) : codes ? null : (
        <EnrolPanel onEnabled={setCodes} />
      )}
      <PasswordPromptModal
        opened={asking !== null}
        title={asking === 'disable' ? 'Turn off two-factor sign-in' : 'New recovery codes'}
        reason={
          asking === 'disable'
            ? 'Sign-in will ask only for your password again. Confirm with your password and a code.'
            : 'The recovery codes you have now stop working. Confirm with your password and a code.'
        }
        confirmLabel={asking === 'disable' ? 'Turn off' : 'Make new codes'}
        askCode
        onSubmit={submit}
        onClose={close}
        loading={disable.isPending || regenerate.isPending}
        error={disable.error ?? regenerate.error}
      />
    </Stack>
  );
}
