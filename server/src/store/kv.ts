import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import {
  parseServerSettings,
  SERVER_SETTINGS_KEY,
  type ServerSettings,
  type SettingsDefaults,
} from './server-settings.js';

const statements = (db: Db) => ({
  get: db.prepare('SELECT value FROM kv WHERE key = ?'),
  set: db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ),
  delete: db.prepare('DELETE FROM kv WHERE key = ?'),
});

/**
 * The kv table: one row per setting (server settings, expiry thresholds, the setup token's hash, the
 * pending HTTPS change). Values are text, JSON where structured.
 */
export class KvStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  get(key: string): string | undefined {
    return (this.sql.get.get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string): void {
    this.sql.set.run(key, value);
  }

  delete(key: string): void {
    this.sql.delete.run(key);
  }

  serverSettings(defaults: SettingsDefaults): ServerSettings {
    return parseServerSettings(this.get(SERVER_SETTINGS_KEY), defaults);
  }

  setServerSettings(settings: ServerSettings): void {
    this.set(SERVER_SETTINGS_KEY, JSON.stringify(settings));
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('kv', new KvStore(fastify.db));
  },
  { name: 'kv-repository', dependencies: ['db'] },
);
