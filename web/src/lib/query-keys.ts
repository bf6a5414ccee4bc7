import type { QueryClient } from '@tanstack/react-query';

/**
 * The root of every cached query, one per server resource. Each feature builds its own keys under these
 * (`features/<x>/api/query-keys.ts`); a change that touches data another feature shows invalidates a root
 * from here, so features never import each other.
 */
export const resourceKeys = {
  auth: ['auth'],
  audit: ['audit'],
  bindings: ['bindings'],
  certificates: ['certificates'],
  csrs: ['csrs'],
  dashboard: ['dashboard'],
  /** Deployment targets, their last deployment and drift (the Deployments page, a certificate's targets). */
  deployTargets: ['targets'],
  /** The server's deploy roots and hooks (read-only, set by environment variables). */
  deployConfig: ['deploy', 'config'],
  expirySettings: ['settings', 'expiry'],
  notificationSettings: ['settings', 'notifications'],
  notificationDeliveries: ['notifications', 'deliveries'],
  reminderSettings: ['settings', 'reminders'],
  reminders: ['dashboard', 'reminders'],
  serverSettings: ['settings', 'server'],
  securitySettings: ['settings', 'security'],
  tokens: ['tokens'],
  twoFactor: ['auth', 'totp'],
  trustAnchors: ['trust-anchors'],
  users: ['users'],
} as const;

/**
 * After certificates were added, removed or moved (import, delete, replace, restore): every list and
 * count that shows them. An import can complete a waiting CSR; a replacement moves SNI bindings and the
 * served certificate.
 */
export function invalidateInventory(queryClient: QueryClient): Promise<void> {
  return Promise.all(
    [
      resourceKeys.certificates,
      resourceKeys.dashboard,
      resourceKeys.csrs,
      resourceKeys.bindings,
      resourceKeys.serverSettings,
    ].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
  ).then(() => undefined);
}
