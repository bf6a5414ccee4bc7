import type { Permission, Role } from '@certdesk/shared/types';
import { createContext, type ReactNode, useContext, useMemo } from 'react';

/**
 * What the signed-in role may do, as GET /api/auth/me lists it. The app provides it once (RequireAuth);
 * features read it to hide or disable what the role cannot do. The server refuses regardless: this only
 * keeps buttons that would answer 403 out of sight.
 */
interface Permissions {
  /** The signed-in account (its own row cannot be disabled or deleted). */
  userId: number | null;
  role: Role | null;
  permissions: ReadonlySet<Permission>;
}

const PermissionsContext = createContext<Permissions>({ userId: null, role: null, permissions: new Set() });

export function PermissionsProvider({
  userId,
  role,
  permissions,
  children,
}: {
  userId: number | null;
  role: Role | null;
  permissions: readonly Permission[] | undefined;
  children: ReactNode;
}) {
  const value = useMemo(
    () => ({ userId, role, permissions: new Set(permissions ?? []) }),
    [userId, role, permissions],
  );
  return <PermissionsContext.Provider value={value}>{children}</PermissionsContext.Provider>;
}

/** The signed-in role (null before sign-in). */
export function useRole(): Role | null {
  return useContext(PermissionsContext).role;
}

/** The signed-in account's id. */
export function useSignedInUserId(): number | null {
  return useContext(PermissionsContext).userId;
}

/** Whether the signed-in role may do this. */
export function useCan(permission: Permission): boolean {
  return useContext(PermissionsContext).permissions.has(permission);
}

/** A checker for lists (the navigation): one hook call, any number of permissions. */
export function usePermissionCheck(): (permission: Permission) => boolean {
  const { permissions } = useContext(PermissionsContext);
  return (permission) => permissions.has(permission);
}
