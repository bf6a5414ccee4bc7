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
  expirySettings: ['settings', 'expiry'],
  serverSettings: ['settings', 'server'],
  securitySettings: ['settings', 'security'],
  tokens: ['tokens'],
  twoFactor: ['auth', 'totp'],
  trustAnchors: ['trust-anchors'],
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
