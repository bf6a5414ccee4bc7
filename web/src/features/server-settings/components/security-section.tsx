import { Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useSecuritySettings } from '../api/get-security-settings.js';
import { useUpdateSecuritySettings } from '../api/update-security-settings.js';

/** Sign-in policy: "require two-factor for everyone". */
export function SecuritySection() {
  const settings = useSecuritySettings();
  const update = useUpdateSecuritySettings();
  const on = settings.data?.requireTwoFactor ?? false;

  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Sign-in
        </Title>
        <Switch
          label="Require two-factor sign-in for everyone"
          description="Accounts without it can only set it up (under Two-factor sign-in in the account menu) until they have. Turn it on for your own account first."
          checked={on}
          disabled={!settings.data || update.isPending}
          onChange={(e) => update.mutate({ requireTwoFactor: e.currentTarget.checked })}
          data-testid="require-two-factor"
        />
        <ErrorAlert error={settings.error ?? update.error} title="Not changed" />
        {on ? (
          <Text size="xs" c="dimmed">
            API tokens are not affected: they are a credential of their own.
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
