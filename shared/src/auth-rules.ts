/** The account and API-token limits the server enforces and the console shows (no TypeBox). */

/** The password policy for a new account password, at setup and at a change alike. */
export const PASSWORD_MIN_LENGTH = 12;

export const TOKEN_DEFAULT_DAYS = 90;
export const TOKEN_MAX_DAYS = 365;

/** The roles an account (and an API token) can have, from the most to the least powerful. */
export const ROLES = ['admin', 'operator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route can ask of the caller's role (the server's permission table says who has which). The
 * console reads the caller's list from GET /api/auth/me to hide what the role cannot do.
 */
export const PERMISSIONS = [
  'account', // one's own session, password and sign-out
  'tokens:own', // one's own API tokens
  'tokens:all', // everyone's API tokens
  'users:manage',
  'inventory:read', // certificates, CSRs, bindings, trust anchors, dashboard
  'inventory:write',
  'certificates:export', // the certificate and its chain (public material)
  'keys:export', // any answer carrying a private key: key, PFX, convert with a key, decrypt a key
  'reports:read',
  'audit:read',
  'settings:read',
  'settings:write',
  'targets:read',
  'targets:write',
  'tools:use',
  'docs:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
