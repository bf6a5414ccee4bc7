import type { Permission } from '@certdesk/shared';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/open.js';
import type { LazySchemas } from './lazy-schemas.js';
import type { HttpsManager } from './plugins/app/https-manager.js';
import type { AcmeAccountService } from './services/acme-accounts.js';
import type { AcmeOrderService } from './services/acme-orders.js';
import type { AuditService } from './services/audit-service.js';
import type { AuthService, RequestToken, RequestUser } from './services/auth-service.js';
import type { CertificateLifecycle } from './services/certificate-lifecycle.js';
import type { DeployService } from './services/deploy-service.js';
import type { EventBus } from './services/events.js';
import type { ExpiryReminders } from './services/expiry-reminders.js';
import type { NotificationSettingsService } from './services/notification-settings-service.js';
import type { NotifyService } from './services/notify-service.js';
import type { RenewalScheduler } from './services/renewal-scheduler.js';
import type { SettingsService } from './services/settings-service.js';
import type { TotpService } from './services/totp-service.js';
import type { UserAccounts } from './services/user-accounts.js';
import type { AcmeAccountStore } from './store/acme-accounts.js';
import type { AcmeCertificateStore } from './store/acme-certificates.js';
import type { AcmeChallengeStore } from './store/acme-challenges.js';
import type { AcmeOrderStore } from './store/acme-orders.js';
import type { ApiTokenStore } from './store/api-tokens.js';
import type { AuditLogStore } from './store/audit-log.js';
import type { BindingStore } from './store/bindings.js';
import type { CertificateQueries } from './store/certificate-queries.js';
import type { CertificateStore } from './store/certificates.js';
import type { CsrStore } from './store/csrs.js';
import type { DeployLeaseStore } from './store/deploy-leases.js';
import type { DeployTargetStore } from './store/deploy-targets.js';
import type { DeploymentStore } from './store/deployments.js';
import type { IntermediateStore } from './store/intermediates.js';
import type { KeyEncryption } from './store/key-encryption.js';
import type { KnownAddressStore } from './store/known-addresses.js';
import type { KvStore } from './store/kv.js';
import type { NotificationOutboxStore } from './store/notification-outbox.js';
import type { NotificationSettingsStore } from './store/notification-settings.js';
import type { PrivateKeyStore } from './store/private-keys.js';
import type { RemindersSentStore } from './store/reminders-sent.js';
import type { SessionStore } from './store/sessions.js';
import type { TotpStore } from './store/totp.js';
import type { TrustAnchorStore } from './store/trust-anchors.js';
import type { UserStore } from './store/users.js';

export type { RequestUser } from './services/auth-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** Route schemas compiled on first use; server.ts compiles the rest once it listens. */
    schemas: LazySchemas;
    clock: Clock;
    events: EventBus;
    db: Db;
    keyEncryption: KeyEncryption;
    // Repositories (store/), one per table.
    users: UserStore;
    sessions: SessionStore;
    apiTokens: ApiTokenStore;
    knownAddresses: KnownAddressStore;
    auditLog: AuditLogStore;
    kv: KvStore;
    privateKeys: PrivateKeyStore;
    certificates: CertificateStore;
    certificateQueries: CertificateQueries;
    csrs: CsrStore;
    intermediates: IntermediateStore;
    trustAnchors: TrustAnchorStore;
    bindings: BindingStore;
    deployTargets: DeployTargetStore;
    deployments: DeploymentStore;
    deployLeases: DeployLeaseStore;
    notificationSettings: NotificationSettingsStore;
    notificationOutbox: NotificationOutboxStore;
    remindersSent: RemindersSentStore;
    totpSecrets: TotpStore;
    acmeAccounts: AcmeAccountStore;
    acmeOrders: AcmeOrderStore;
    acmeChallenges: AcmeChallengeStore;
    acmeCertificates: AcmeCertificateStore;
    // Use cases (services/).
    audit: AuditService;
    auth: AuthService;
    accounts: UserAccounts;
    settings: SettingsService;
    certificateLifecycle: CertificateLifecycle;
    httpsManager: HttpsManager;
    deploy: DeployService;
    notificationSettingsService: NotificationSettingsService;
    notifier: NotifyService;
    reminders: ExpiryReminders;
    totp: TotpService;
    acmeAccountService: AcmeAccountService;
    acmeOrderService: AcmeOrderService;
    renewalScheduler: RenewalScheduler;
    /** Hooks declared in CERTDESK_DEPLOY_HOOKS (names only). */
    dnsHookNames: () => string[];
  }
  interface FastifyRequest {
    user: RequestUser | null;
    authMethod: 'session' | 'token' | null;
    /** The API token of a Bearer request (named in the audit log); null for a session. */
    apiToken: RequestToken | null;
    csrfToken: string | null;
    /** When the session's password sign-in happened (epoch ms); null for API tokens. */
    signedInAt: number | null;
  }
  interface FastifyContextConfig {
    /** Route answers without a session or token (health, login, setup only). */
    public?: boolean;
    /**
     * What the caller's role must allow (services/permissions.ts). Every non-public /api route declares
     * one; a route without is closed to everyone (routes/api/auth-hook.ts).
     */
    permission?: Permission;
  }
}
