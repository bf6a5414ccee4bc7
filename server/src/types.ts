import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/open.js';
import type { HttpsManager } from './plugins/app/https-manager.js';
import type { AcmeAccountService } from './services/acme-accounts.js';
import type { AcmeOrderService } from './services/acme-orders.js';
import type { AuditService } from './services/audit-service.js';
import type { AuthService, RequestUser } from './services/auth-service.js';
import type { CertificateLifecycle } from './services/certificate-lifecycle.js';
import type { EventBus } from './services/events.js';
import type { RenewalScheduler } from './services/renewal-scheduler.js';
import type { SettingsService } from './services/settings-service.js';
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
import type { IntermediateStore } from './store/intermediates.js';
import type { KeyEncryption } from './store/key-encryption.js';
import type { KnownAddressStore } from './store/known-addresses.js';
import type { KvStore } from './store/kv.js';
import type { PrivateKeyStore } from './store/private-keys.js';
import type { SessionStore } from './store/sessions.js';
import type { TrustAnchorStore } from './store/trust-anchors.js';
import type { UserStore } from './store/users.js';

export type { RequestUser } from './services/auth-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
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
    acmeAccounts: AcmeAccountStore;
    acmeOrders: AcmeOrderStore;
    acmeChallenges: AcmeChallengeStore;
    acmeCertificates: AcmeCertificateStore;
    // Use cases (services/).
    audit: AuditService;
    auth: AuthService;
    settings: SettingsService;
    certificateLifecycle: CertificateLifecycle;
    httpsManager: HttpsManager;
    acmeAccountService: AcmeAccountService;
    acmeOrderService: AcmeOrderService;
    renewalScheduler: RenewalScheduler;
    /** Hooks declared in CERTDESK_DEPLOY_HOOKS (names only). */
    dnsHookNames: () => string[];
  }
  interface FastifyRequest {
    user: RequestUser | null;
    authMethod: 'session' | 'token' | null;
    csrfToken: string | null;
    /** When the session's password sign-in happened (epoch ms); null for API tokens. */
    signedInAt: number | null;
  }
  interface FastifyContextConfig {
    /** Route answers without a session or token (health, login, setup only). */
    public?: boolean;
  }
}
