import type { Db } from '../db/open.js';

/** The committed HTTPS-mode settings (API.md "Server settings"), kept in the kv table as one JSON row. */
export interface ServerSettings {
  httpsEnabled: boolean;
  httpPort: number;
  httpsPort: number;
  activeCertificateId: number | null;
  /** Host names clients use to reach this server; the pre-flight report checks the SANs cover them. */
  serverNames: string[];
  redirectHttp: boolean;
  /** AIA downloads may reach loopback and private addresses (net/aia-fetcher.ts). */
  aiaAllowPrivate: boolean;
}

const KEY = 'server_settings';

export function defaultServerSettings(httpPort: number, httpsPort: number): ServerSettings {
  return {
    httpsEnabled: false,
    httpPort,
    httpsPort,
    activeCertificateId: null,
    serverNames: [],
    redirectHttp: true,
    aiaAllowPrivate: false,
  };
}

export function readServerSettings(db: Db, defaults: ServerSettings): ServerSettings {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(KEY) as { value: string } | undefined;
  return row ? { ...defaults, ...(JSON.parse(row.value) as Partial<ServerSettings>) } : defaults;
}

export function writeServerSettings(db: Db, settings: ServerSettings): void {
  db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(KEY, JSON.stringify(settings));
}
