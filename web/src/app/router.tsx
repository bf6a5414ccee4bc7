import { createBrowserRouter } from 'react-router-dom';
import { AuditPage } from '../features/audit/components/audit-page.js';
import { meQueryKey } from '../features/auth/api/get-me.js';
import { LoginPage } from '../features/auth/components/login-page.js';
import { SetupPage } from '../features/auth/components/setup-page.js';
import { CertificateDetailPage } from '../features/certificates/components/certificate-detail-page.js';
import { CertificatesPage } from '../features/certificates/components/certificates-page.js';
import { CsrDetailPage } from '../features/csrs/components/csr-detail-page.js';
import { CsrListPage } from '../features/csrs/components/csr-list-page.js';
import { CsrWizardPage } from '../features/csrs/components/csr-wizard-page.js';
import { DashboardPage } from '../features/dashboard/components/dashboard-page.js';
import { ImportPage } from '../features/import/components/import-page.js';
import { ServerSettingsPage } from '../features/server-settings/components/server-settings-page.js';
import { TokensPage } from '../features/tokens/components/tokens-page.js';
import { ToolsPage } from '../features/tools/components/tools-page.js';
import { TrustAnchorsPage } from '../features/trust-anchors/components/trust-anchors-page.js';
import { setCsrfToken } from '../lib/api-client.js';
import { queryClient, setUnauthorizedHandler } from '../lib/query-client.js';
import { loginPath } from '../lib/safe-next.js';
import { AppLayout } from './layout/app-layout.js';
import { NotFoundPage } from './not-found-page.js';
import { RequireAuth } from './require-auth.js';

/**
 * Every page of the console. Public: /login, /setup. Everything else needs a session (RequireAuth)
 * and sits in the shell (AppLayout). To add a page: import it and add one line to `children`.
 */
export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/setup', element: <SetupPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <DashboardPage /> },
          { path: 'certificates', element: <CertificatesPage /> },
          { path: 'certificates/:id', element: <CertificateDetailPage /> },
          { path: 'csrs', element: <CsrListPage /> },
          { path: 'csrs/new', element: <CsrWizardPage /> },
          { path: 'csrs/:id', element: <CsrDetailPage /> },
          { path: 'import', element: <ImportPage /> },
          { path: 'trust-anchors', element: <TrustAnchorsPage /> },
          { path: 'settings', element: <ServerSettingsPage /> },
          { path: 'tools', element: <ToolsPage /> },
          { path: 'tokens', element: <TokensPage /> },
          { path: 'audit', element: <AuditPage /> },
          { path: '*', element: <NotFoundPage /> },
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
  queryClient.removeQueries({ queryKey: meQueryKey });
  void router.navigate(loginPath(location), { replace: true });
});
