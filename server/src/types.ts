import type { Config } from './config.js';
import type { Db } from './db/open.js';
import type { AuditService } from './plugins/app/audit.js';
import type { AuthService } from './plugins/app/auth.js';
import type { HttpsManager } from './plugins/app/https-manager.js';
import type { CertificateStore } from './store/certificates.js';
import type { KeyEncryption } from './store/key-encryption.js';
import type { PrivateKeyStore } from './store/private-keys.js';

export interface RequestUser {
  id: number;
  username: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    keyEncryption: KeyEncryption;
    privateKeys: PrivateKeyStore;
    certificates: CertificateStore;
    audit: AuditService;
    auth: AuthService;
    httpsManager: HttpsManager;
  }
  interface FastifyRequest {
    user: RequestUser | null;
    authMethod: 'session' | 'token' | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** Route answers without a session or token (health, login, setup only). */
    public?: boolean;
  }
}
