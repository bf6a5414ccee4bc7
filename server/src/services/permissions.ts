import { PERMISSIONS, type Permission, ROLES, type Role } from '@certdesk/shared';

/**
 * The one permission table: which role may do what. Every /api route declares the permission it needs
 * (`config: { permission }`, checked by routes/api/auth-hook.ts); a route that declares none is closed.
 * Pure: no I/O, so the UI's list (GET /api/auth/me) and the route walk test read the same answer.
 */
const AUDITOR: readonly Permission[] = [
  'account',
  'tokens:own',
  'inventory:read',
  'certificates:export',
  'reports:read',
  'audit:read',
  'settings:read',
  'targets:read',
  'docs:read',
];

const OPERATOR: readonly Permission[] = [
  ...AUDITOR,
  'inventory:write',
  'settings:write',
  'targets:write',
  'tools:use',
];

const TABLE: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  operator: new Set(OPERATOR),
  auditor: new Set(AUDITOR),
};

/** What a role cannot do, in words, for the 403 sentence. */
const DENIED: Record<Permission, string> = {
  account: 'use this account',
  'tokens:own': 'manage API tokens',
  'tokens:all': "manage other people's API tokens",
  'users:manage': 'manage users',
  'inventory:read': 'read the inventory',
  'inventory:write': 'change the inventory (import, generate, delete, bind)',
  'certificates:export': 'download certificates',
  'keys:export': 'export private keys (key files, PFX, conversions with a key)',
  'reports:read': 'read reports',
  'audit:read': 'read the audit log',
  'settings:read': 'read the settings',
  'settings:write': 'change the settings',
  'targets:read': 'read deployment targets',
  'targets:write': 'change deployment targets',
  'tools:use': 'use the tools',
  'docs:read': 'read the API documentation',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return TABLE[role].has(permission);
}

/** Every permission of the role, in the table's order (GET /api/auth/me). */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => TABLE[role].has(p));
}

/** The lesser of two roles: a token never acts above its account, even after the account is demoted. */
export function narrower(a: Role, b: Role): Role {
  return ROLES.indexOf(a) >= ROLES.indexOf(b) ? a : b;
}

/** `role` may be given by someone whose role is `granter` (nobody hands out more than they hold). */
export function atMost(role: Role, granter: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(granter);
}

/** The 403 sentence naming what the role cannot do. */
export function deniedSentence(role: Role, permission: Permission): string {
  // Every role name starts with a vowel.
  return `An ${role} cannot ${DENIED[permission]}.`;
}
