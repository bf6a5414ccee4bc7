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

export const SERVER_SETTINGS_KEY = 'server_settings';

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

/** The stored JSON over the defaults: a field added later keeps its default in older rows. */
export function parseServerSettings(value: string | undefined, defaults: ServerSettings): ServerSettings {
  return value === undefined ? defaults : { ...defaults, ...(JSON.parse(value) as Partial<ServerSettings>) };
}

// The two functions below serve the HTTPS listener code (tls/, https-manager), which holds only `db`;
// everything else goes through KvStore (store/kv.ts), which prepares its statements once.

export function readServerSettings(db: Db, defaults: ServerSettings): ServerSettings {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(SERVER_SETTINGS_KEY) as
    | { value: string }
    | undefined;
  return parseServerSettings(row?.value, defaults);
}

export function writeServerSettings(db: Db, settings: ServerSettings): void {
  db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(SERVER_SETTINGS_KEY, JSON.stringify(settings));
}
