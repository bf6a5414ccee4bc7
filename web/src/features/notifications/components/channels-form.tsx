import type {
  NotificationEvent,
  NotificationSettings,
  NotificationSettingsUpdate,
  SmtpSecurity,
  Webhook,
  WebhookFormat,
} from '@certdesk/shared/types';
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { isApiError } from '../../../lib/api-client.js';
import { useUpdateNotificationSettings } from '../api/update-notification-settings.js';

const EVENTS: { value: NotificationEvent; label: string }[] = [
  { value: 'expiring', label: 'A certificate crosses a reminder threshold' },
  { value: 'expired', label: 'A certificate expired' },
  { value: 'renewal-failed', label: 'An automatic renewal failed' },
  { value: 'deploy-failed', label: 'A deployment failed' },
  { value: 'drift', label: 'A target serves another certificate (drift)' },
];
const SECURITY: { value: SmtpSecurity; label: string }[] = [
  { value: 'starttls', label: 'STARTTLS (port 587)' },
  { value: 'tls', label: 'TLS (port 465)' },
  { value: 'none', label: 'None (trusted network only)' },
];
const FORMATS: { value: WebhookFormat; label: string }[] = [
  { value: 'json', label: 'JSON' },
  { value: 'slack', label: 'Slack' },
  { value: 'teams', label: 'Microsoft Teams' },
];

/** A webhook row with a key of its own, so removing one keeps the others' inputs in place. */
type WebhookRow = Webhook & { key: number };
let nextKey = 1;
const rowsOf = (list: Webhook[]): WebhookRow[] => list.map((w) => ({ ...w, key: nextKey++ }));

interface EmailDraft {
  enabled: boolean;
  host: string;
  port: number | string;
  security: SmtpSecurity;
  username: string;
  password: string;
  removePassword: boolean;
  from: string;
  to: string[];
}

function draftOf(s: NotificationSettings): EmailDraft {
  const e = s.email;
  return {
    enabled: e !== null,
    host: e?.host ?? '',
    port: e?.port ?? 587,
    security: e?.security ?? 'starttls',
    username: e?.username ?? '',
    password: '',
    removePassword: false,
    from: e?.from ?? '',
    to: e?.to ?? [],
  };
}

/** E-mail (SMTP), webhooks and the events to send: saved together, as one PUT. */
export function ChannelsForm({ settings }: { settings: NotificationSettings }) {
  const update = useUpdateNotificationSettings();
  const [email, setEmail] = useState<EmailDraft>(() => draftOf(settings));
  const [webhooks, setWebhooks] = useState<WebhookRow[]>(() => rowsOf(settings.webhooks));
  const [events, setEvents] = useState<string[]>(settings.events);
  const set = (patch: Partial<EmailDraft>) => setEmail((e) => ({ ...e, ...patch }));
  const fieldError = (field: string) =>
    isApiError(update.error) && update.error.field === field ? update.error.message : undefined;
  const hasPassword = settings.email?.hasPassword ?? false;

  const save = () => {
    const body: NotificationSettingsUpdate = {
      email: email.enabled
        ? {
            host: email.host.trim(),
            port: Number(email.port),
            security: email.security,
            ...(email.username.trim() ? { username: email.username.trim() } : {}),
            // Empty: keep the stored password (it is never sent back to the browser).
            ...(email.password ? { password: email.password } : email.removePassword ? { password: '' } : {}),
            from: email.from.trim(),
            to: email.to,
          }
        : null,
      webhooks: webhooks.filter((w) => w.url.trim() !== '').map(({ url, format }) => ({ url, format })),
      events: events as NotificationEvent[],
    };
    update.mutate(body, {
      onSuccess: (saved) => {
        setEmail(draftOf(saved));
        setWebhooks(rowsOf(saved.webhooks));
        notifications.show({ color: 'teal', title: 'Saved', message: 'Notification settings saved.' });
      },
    });
  };

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md" data-testid="email-settings">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">
            E-mail (SMTP)
          </Title>
          <Switch
            label="Send e-mail"
            checked={email.enabled}
            onChange={(e) => set({ enabled: e.currentTarget.checked })}
          />
        </Group>
        {email.enabled ? (
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label="SMTP server"
                placeholder="smtp.example.com"
                value={email.host}
                onChange={(e) => set({ host: e.currentTarget.value })}
                error={fieldError('email.host')}
                required
              />
              <NumberInput
                label="Port"
                value={email.port}
                onChange={(v) => set({ port: v })}
                min={1}
                max={65535}
                allowDecimal={false}
                error={fieldError('email.port')}
                required
              />
              <Select
                label="Security"
                data={SECURITY}
                value={email.security}
                onChange={(v) => v && set({ security: v as SmtpSecurity })}
                allowDeselect={false}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="User name"
                description="Leave empty when the server needs no sign-in."
                value={email.username}
                onChange={(e) => set({ username: e.currentTarget.value })}
                autoComplete="off"
              />
              <PasswordInput
                label="Password"
                description={
                  hasPassword
                    ? 'A password is stored (sealed). Leave empty to keep it.'
                    : 'Stored sealed, never shown again.'
                }
                placeholder={hasPassword ? '•••••••• (stored)' : ''}
                value={email.password}
                onChange={(e) => set({ password: e.currentTarget.value, removePassword: false })}
                autoComplete="new-password"
              />
            </SimpleGrid>
            {hasPassword ? (
              <Checkbox
                label="Remove the stored password"
                checked={email.removePassword}
                disabled={email.password !== ''}
                onChange={(e) => set({ removePassword: e.currentTarget.checked })}
              />
            ) : null}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="From"
                placeholder="certdesk@example.com"
                value={email.from}
                onChange={(e) => set({ from: e.currentTarget.value })}
                error={fieldError('email.from')}
                required
              />
              <TagsInput
                label="To"
                description="Press Enter after each address."
                value={email.to}
                onChange={(to) => set({ to })}
                error={fieldError('email.to')}
                maxTags={20}
              />
            </SimpleGrid>
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            No e-mail is sent.
          </Text>
        )}
      </Paper>

      <Paper withBorder radius="md" p="md" data-testid="webhook-settings">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">
            Webhooks
          </Title>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => setWebhooks((w) => [...w, { url: '', format: 'json', key: nextKey++ }])}
            disabled={webhooks.length >= 20}
          >
            Add webhook
          </Button>
        </Group>
        {webhooks.length === 0 ? (
          <Text size="sm" c="dimmed">
            None. A webhook receives a JSON POST, a Slack message or a Teams card for each notification.
          </Text>
        ) : (
          <Stack gap="xs">
            {webhooks.map((w, i) => (
              <Group key={w.key} align="flex-end" gap="xs" wrap="nowrap">
                <TextInput
                  label={`Webhook ${i + 1} address`}
                  placeholder="https://hooks.slack.com/services/…"
                  value={w.url}
                  onChange={(e) => {
                    const url = e.currentTarget.value;
                    setWebhooks((all) => all.map((x, j) => (j === i ? { ...x, url } : x)));
                  }}
                  style={{ flex: 1 }}
                />
                <Select
                  label="Format"
                  data={FORMATS}
                  value={w.format}
                  allowDeselect={false}
                  onChange={(v) =>
                    v &&
                    setWebhooks((all) =>
                      all.map((x, j) => (j === i ? { ...x, format: v as WebhookFormat } : x)),
                    )
                  }
                  w={170}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  mb={2}
                  aria-label={`Remove webhook ${i + 1}`}
                  onClick={() => setWebhooks((all) => all.filter((_, j) => j !== i))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        )}
        {fieldError('webhooks') ? (
          <Text size="sm" c="red" mt="xs">
            {fieldError('webhooks')}
          </Text>
        ) : null}
      </Paper>

      <Paper withBorder radius="md" p="md" data-testid="event-settings">
        <Checkbox.Group
          label="Send a notification when"
          value={events}
          onChange={setEvents}
          labelProps={{ fw: 600, mb: 'xs' }}
        >
          <Stack gap={6}>
            {EVENTS.map((e) => (
              <Checkbox key={e.value} value={e.value} label={e.label} />
            ))}
          </Stack>
        </Checkbox.Group>
      </Paper>

      {update.error ? <ErrorAlert error={update.error} title="Not saved" /> : null}
      <Group>
        <Button onClick={save} loading={update.isPending} data-testid="save-notifications">
          Save notification settings
        </Button>
      </Group>
    </Stack>
  );
}
