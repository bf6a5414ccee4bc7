import path from 'node:path';
import { type DeploySettings, loadDeploySettings } from './deploy/deploy-config.js';

export interface Config {
  dataDir: string;
  host: string;
  httpPort: number;
  httpsPort: number;
  /**
   * The ports set explicitly by CERTDESK_HTTP_PORT / CERTDESK_HTTPS_PORT: these win over the ports stored
   * in Server Settings (which then show them read-only). Unset, the stored port wins over the default.
   */
  portsFromEnvironment: Array<'httpPort' | 'httpsPort'>;
  /** Creates user `admin` on first start when set (unattended installs). */
  adminPassword: string | undefined;
  httpsConfirmSeconds: number;
  /** A request (headers and body) must arrive within this time: slow-body clients are cut off. */
  requestTimeoutMs: number;
  /** A TLS client must finish its handshake within this time, or its socket is destroyed. */
  tlsHandshakeTimeoutMs: number;
  /** Open connections per listener; past it new ones are refused so a flood cannot exhaust descriptors. */
  maxConnections: number;
  /** Ports an AIA "CA Issuers" URL may name (CERTDESK_AIA_PORTS, comma-separated; default 80,8080). */
  aiaPorts: number[];
  logLevel: string;
  /** CERTDESK_ACME_CA_FILE: extra CA certificates (PEM) trusted for ACME directories (a private CA). */
  acmeCaFile: string | undefined;
  /** Directory of the built web UI; served at / when it exists. */
  webDist: string | undefined;
  /** Deployment targets: roots, hooks, drift check interval (CERTDESK_DEPLOY_*, CERTDESK_DRIFT_CHECK_MINUTES). */
  deploy: DeploySettings;
}

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number (0-65535), got "${value}"`);
  return n;
}

/** Configuration from the CERTDESK_* environment (API.md "Conventions"). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const confirm = Number(env.CERTDESK_HTTPS_CONFIRM_SECONDS ?? 60);
  if (!Number.isFinite(confirm) || confirm < 1)
    throw new Error('CERTDESK_HTTPS_CONFIRM_SECONDS must be a positive number');
  return {
    dataDir: path.resolve(env.CERTDESK_DATA_DIR || './data'),
    host: env.CERTDESK_HOST || '127.0.0.1',
    httpPort: port(env.CERTDESK_HTTP_PORT, 8080, 'CERTDESK_HTTP_PORT'),
    httpsPort: port(env.CERTDESK_HTTPS_PORT, 8443, 'CERTDESK_HTTPS_PORT'),
    portsFromEnvironment: [
      ...(env.CERTDESK_HTTP_PORT ? (['httpPort'] as const) : []),
      ...(env.CERTDESK_HTTPS_PORT ? (['httpsPort'] as const) : []),
    ],
    adminPassword: env.CERTDESK_ADMIN_PASSWORD || undefined,
    httpsConfirmSeconds: confirm,
    requestTimeoutMs: Math.max(1, Number(env.CERTDESK_REQUEST_TIMEOUT_SECONDS) || 60) * 1000,
    tlsHandshakeTimeoutMs: Math.max(100, Number(env.CERTDESK_TLS_HANDSHAKE_TIMEOUT_MS) || 10_000),
    maxConnections: Math.max(1, Number(env.CERTDESK_MAX_CONNECTIONS) || 1000),
    aiaPorts: env.CERTDESK_AIA_PORTS
      ? env.CERTDESK_AIA_PORTS.split(',').map((p) => port(p.trim(), 80, 'CERTDESK_AIA_PORTS'))
      : [80, 8080],
    logLevel: env.CERTDESK_LOG_LEVEL || 'info',
    acmeCaFile: env.CERTDESK_ACME_CA_FILE || undefined,
    webDist: env.CERTDESK_WEB_DIST ?? path.resolve(import.meta.dirname, '../../web/dist'),
    deploy: loadDeploySettings(env),
  };
}

/** Where the one-time setup token waits until the first administrator exists. */
export function setupTokenFile(dataDir: string): string {
  return path.join(dataDir, 'setup-token');
}
