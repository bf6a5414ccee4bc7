import { Button, Center, Container } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { ErrorAlert } from '../components/error-alert.js';
import { PageLoader } from '../components/page-loader.js';
import { useMe } from '../features/auth/api/get-me.js';
import { PasswordChangeRequired } from '../features/auth/components/password-change-required.js';
import { ApiError } from '../lib/api-client.js';
import { PermissionsProvider } from '../lib/permissions.js';
import { loginPath } from '../lib/safe-next.js';

/**
 * Every console page sits behind this: no session → the sign-in page, with a way back here; a one-time
 * password → the password change first; then the pages, told what the role may do.
 */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();

  if (me.isPending) {
    return (
      <Center h="100vh">
        <PageLoader label="Checking your session…" />
      </Center>
    );
  }
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401)
      return <Navigate to={loginPath(location)} replace />;
    return (
      <Container size="sm" py="xl">
        <ErrorAlert error={me.error} title="The console cannot reach the server">
          <Button mt="sm" size="xs" variant="light" onClick={() => me.refetch()}>
            Try again
          </Button>
        </ErrorAlert>
      </Container>
    );
  }
  const { user, permissions } = me.data;
  if (user.mustChangePassword) return <PasswordChangeRequired username={user.username} />;
  return (
    <PermissionsProvider userId={user.id} role={user.role} permissions={permissions}>
      <Outlet />
    </PermissionsProvider>
  );
}
