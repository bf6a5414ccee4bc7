import { Center } from '@mantine/core';
import { createBrowserRouter } from 'react-router-dom';
import { PageLoader } from '../components/page-loader.js';
import { authKeys } from '../features/auth/api/query-keys.js';
import { setCsrfToken } from '../lib/api-client.js';
import { queryClient, setEnrolmentRequiredHandler, setUnauthorizedHandler } from '../lib/query-client.js';
import { loginPath } from '../lib/safe-next.js';
import { RequireAuth } from './require-auth.js';
import { RouteError } from './route-error.js';

const TWO_FACTOR_PATH = '/account/two-factor';

/**
 * Every page of the console, each loaded on first visit (its own chunk): the sign-in page does not wait
 * for the certificate tools. Public: /login, /setup. Everything else needs a session (RequireAuth) and
 * sits in the shell (AppLayout). To add a page: add one line to `children`.
 */
export const router = createBrowserRouter([
  {
    HydrateFallback: () => (
      <Center h="100vh">
        <PageLoader />
      </Center>
    ),
    ErrorBoundary: RouteError,
    children: [
      {
        path: '/login',
        lazy: () =>
          import('../features/auth/components/login-page.js').then((m) => ({ Component: m.LoginPage })),
      },
      {
        path: '/setup',
        lazy: () =>
          import('../features/auth/components/setup-page.js').then((m) => ({ Component: m.SetupPage })),
      },
      {
        Component: RequireAuth,
        children: [
          {
            lazy: () => import('./layout/app-layout.js').then((m) => ({ Component: m.AppLayout })),
            ErrorBoundary: RouteError,
            children: [
              {
                index: true,
                lazy: () =>
                  import('../features/dashboard/components/dashboard-page.js').then((m) => ({
                    Component: m.DashboardPage,
                  })),
              },
              {
                path: 'notifications',
                lazy: () =>
                  import('../features/notifications/components/notifications-page.js').then((m) => ({
                    Component: m.NotificationsPage,
                  })),
              },
              {
                path: 'certificates',
                lazy: () =>
                  import('../features/certificates/components/certificates-page.js').then((m) => ({
                    Component: m.CertificatesPage,
                  })),
              },
              {
                path: 'certificates/:id',
                lazy: () =>
                  import('../features/certificates/components/certificate-detail-page.js').then((m) => ({
                    Component: m.CertificateDetailPage,
                  })),
              },
              {
                path: 'csrs',
                lazy: () =>
                  import('../features/csrs/components/csr-list-page.js').then((m) => ({
                    Component: m.CsrListPage,
                  })),
              },
              {
                path: 'csrs/new',
                lazy: () =>
                  import('../features/csrs/components/csr-wizard-page.js').then((m) => ({
                    Component: m.CsrWizardPage,
                  })),
              },
              {
                path: 'csrs/:id',
                lazy: () =>
                  import('../features/csrs/components/csr-detail-page.js').then((m) => ({
                    Component: m.CsrDetailPage,
                  })),
              },
              {
                path: 'acme',
                lazy: () =>
                  import('../features/acme/components/acme-page.js').then((m) => ({
                    Component: m.AcmePage,
                  })),
              },
              {
                path: 'acme/order',
                lazy: () =>
                  import('../features/acme/components/acme-order-page.js').then((m) => ({
                    Component: m.AcmeOrderPage,
                  })),
              },
              {
                path: 'import',
                lazy: () =>
                  import('../features/import/components/import-page.js').then((m) => ({
                    Component: m.ImportPage,
                  })),
              },
              {
                path: 'trust-anchors',
                lazy: () =>
                  import('../features/trust-anchors/components/trust-anchors-page.js').then((m) => ({
                    Component: m.TrustAnchorsPage,
                  })),
              },
              {
                path: 'settings',
                lazy: () =>
                  import('../features/server-settings/components/server-settings-page.js').then((m) => ({
                    Component: m.ServerSettingsPage,
                  })),
              },
              {
                path: 'deployments',
                lazy: () =>
                  import('../features/deployments/components/deployments-page.js').then((m) => ({
                    Component: m.DeploymentsPage,
                  })),
              },
              {
                path: 'deployments/new',
                lazy: () =>
                  import('../features/deployments/components/target-form-page.js').then((m) => ({
                    Component: m.TargetFormPage,
                  })),
              },
              {
                path: 'deployments/:id/edit',
                lazy: () =>
                  import('../features/deployments/components/target-form-page.js').then((m) => ({
                    Component: m.TargetFormPage,
                  })),
              },
              {
                path: 'tools',
                lazy: () =>
                  import('../features/tools/components/tools-page.js').then((m) => ({
                    Component: m.ToolsPage,
                  })),
              },
              {
                path: 'users',
                lazy: () =>
                  import('../features/users/components/users-page.js').then((m) => ({
                    Component: m.UsersPage,
                  })),
              },
              {
                path: 'tokens',
                lazy: () =>
                  import('../features/tokens/components/tokens-page.js').then((m) => ({
                    Component: m.TokensPage,
                  })),
              },
              {
                path: 'account/two-factor',
                lazy: () =>
                  import('../features/two-factor/components/two-factor-page.js').then((m) => ({
                    Component: m.TwoFactorPage,
                  })),
              },
              {
                path: 'audit',
                lazy: () =>
                  import('../features/audit/components/audit-page.js').then((m) => ({
                    Component: m.AuditPage,
                  })),
              },
              {
                path: '*',
                lazy: () => import('./not-found-page.js').then((m) => ({ Component: m.NotFoundPage })),
              },
            ],
          },
        ],
      },
    ],
  },
]);

// A 401 from any request while on a console page: the session is gone, go sign in and come back.
setUnauthorizedHandler(() => {
  const { location } = router.state;
  if (location.pathname === '/login' || location.pathname === '/setup') return;
  setCsrfToken(null);
  queryClient.removeQueries({ queryKey: authKeys.me });
  void router.navigate(loginPath(location), { replace: true });
});

// 403 TOTP_ENROLMENT_REQUIRED: this session may only set up two-factor sign-in until it has.
setEnrolmentRequiredHandler(() => {
  if (router.state.location.pathname === TWO_FACTOR_PATH) return;
  void router.navigate(TWO_FACTOR_PATH, { replace: true });
});
