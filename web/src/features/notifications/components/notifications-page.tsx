import { Stack } from '@mantine/core';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { useNotificationSettings } from '../api/get-notification-settings.js';
import { ChannelsForm } from './channels-form.js';
import { DeliveriesTable } from './deliveries-table.js';
import { ReminderThresholdsCard } from './reminder-thresholds-card.js';
import { SendTestCard } from './send-test-card.js';

/** Notifications: where to send them (e-mail, webhooks), about what, when to remind, and what was sent. */
export function NotificationsPage() {
  const settings = useNotificationSettings();
  const header = (
    <PageHeader
      title="Notifications"
      description="E-mail and webhooks for expiring certificates, failed renewals and deployments, and drift."
    />
  );
  if (settings.isPending)
    return (
      <>
        {header}
        <PageLoader label="Loading notification settings…" />
      </>
    );
  if (settings.isError)
    return (
      <>
        {header}
        <ErrorAlert error={settings.error} title="Notification settings could not be loaded" />
      </>
    );
  return (
    <>
      {header}
      <Stack gap="md">
        <ChannelsForm settings={settings.data} />
        <SendTestCard />
        <ReminderThresholdsCard />
        <DeliveriesTable />
      </Stack>
    </>
  );
}
