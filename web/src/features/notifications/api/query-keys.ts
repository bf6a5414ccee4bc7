import { resourceKeys } from '../../../lib/query-keys.js';

export const notificationKeys = {
  settings: resourceKeys.notificationSettings,
  deliveries: resourceKeys.notificationDeliveries,
  reminderSettings: resourceKeys.reminderSettings,
  /** The dashboard's reminders list: it changes with the thresholds. */
  reminders: resourceKeys.reminders,
};
