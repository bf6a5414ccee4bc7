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

export type PortField = 'httpPort' | 'httpsPort';

/**
 * The settings of a fresh install, and which of its ports the environment set explicitly
 * (CERTDESK_HTTP_PORT / CERTDESK_HTTPS_PORT): those win over the stored row, every time it is read.
 */
export type SettingsDefaults = ServerSettings & { readonly fromEnvironment?: readonly PortField[] };

export function defaultServerSettings(
  httpPort: number,
  httpsPort: number,
  fromEnvironment: readonly PortField[] = [],
): SettingsDefaults {
  const settings: ServerSettings = {
    httpsEnabled: false,
    httpPort,
    httpsPort,
    activeCertificateId: null,
    serverNames: [],
    redirectHttp: true,
    aiaAllowPrivate: false,
  };
  // Not enumerable: `{ ...defaults, ... }` and JSON.stringify leave it out, so it never reaches a row.
  return Object.defineProperty(settings, 'fromEnvironment', { value: fromEnvironment, enumerable: false });
}

/**
 * The stored JSON over the defaults (a field added later keeps its default in older rows), then the ports
 * the environment sets over both: an administrator who restarts with another CERTDESK_HTTP_PORT gets it.
 */
export function parseServerSettings(value: string | undefined, defaults: SettingsDefaults): ServerSettings {
  const { fromEnvironment = [], ...base } = defaults;
  const stored = value === undefined ? {} : (JSON.parse(value) as Partial<ServerSettings>);
  // Only the fields of the settings: anything else a row may hold (an older writer's extra) is left out.
  const settings = Object.fromEntries(
    Object.entries(base).map(([field, fallback]) => [
      field,
      Object.hasOwn(stored, field) ? stored[field as keyof ServerSettings] : fallback,
    ]),
  ) as unknown as ServerSettings;
  for (const field of fromEnvironment) settings[field] = base[field];
  return settings;
}

/** The ports as the stored row holds them (null: none stored), to say at start which source won. */
export function storedPorts(db: Db): Record<PortField, number | null> {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(SERVER_SETTINGS_KEY) as
    | { value: string }
    | undefined;
  const stored = row ? (JSON.parse(row.value) as Partial<ServerSettings>) : {};
  return { httpPort: stored.httpPort ?? null, httpsPort: stored.httpsPort ?? null };
}

// The two functions below serve the HTTPS listener code (tls/, https-manager), which holds only `db`;
// everything else goes through KvStore (store/kv.ts), which prepares its statements once.

export function readServerSettings(db: Db, defaults: SettingsDefaults): ServerSettings {
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
