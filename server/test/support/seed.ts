import type { KeyObject, X509Certificate } from 'node:crypto';
import type { TestApp } from './app.js';
import { type LeafOptions, makeLeaf, type TestChain } from './pki.js';

/**
 * Certificates put in the store the way the import route does (PrivateKeyStore.insert +
 * CertificateStore.insert in one transaction), for tests that need an inventory without uploading it.
 */

export interface InsertOptions {
  leaf: { cert: X509Certificate; key: KeyObject };
  pki?: TestChain;
  /** Store without the private key (status pending_key). */
  withoutKey?: boolean;
  name?: string;
  previousVersionId?: number | null;
}

/** Stores a certificate as the import route does; returns its id and its key's id. */
export function insertCertificate(app: TestApp, opts: InsertOptions): { id: number; keyId: number | null } {
  return app.db.transaction(() => {
    const keyId = opts.withoutKey ? null : app.privateKeys.insert(opts.leaf.key);
    const id = app.certificates.insert({
      cert: opts.leaf.cert,
      chain: opts.pki ? [opts.pki.intermediate.cert] : [],
      root: opts.pki ? opts.pki.root.cert : null,
      keyId,
      name: opts.name ?? null,
      report: { checks: [{ id: 'seeded', status: 'pass', message: 'Stored by a test.' }] },
      previousVersionId: opts.previousVersionId ?? null,
    });
    return { id, keyId };
  })();
}

export async function seedCertificate(
  app: TestApp,
  pki: TestChain,
  opts: LeafOptions & Omit<InsertOptions, 'leaf' | 'pki'>,
) {
  const leaf = await makeLeaf(pki.intermediate, opts);
  return { ...insertCertificate(app, { ...opts, leaf, pki }), leaf };
}

/** Makes `certificateId` the active one, as the HTTPS-mode settings store it. */
export function setActive(app: TestApp, certificateId: number | null): void {
  const row = app.db.prepare("SELECT value FROM kv WHERE key = 'server_settings'").get() as
    | { value: string }
    | undefined;
  const value = { ...(row ? (JSON.parse(row.value) as object) : {}), activeCertificateId: certificateId };
  app.db
    .prepare(
      "INSERT INTO kv (key, value) VALUES ('server_settings', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .run(JSON.stringify(value));
}

export function addBinding(app: TestApp, hostname: string, certificateId: number): number {
  const r = app.db
    .prepare('INSERT INTO bindings (hostname, certificate_id, created_at) VALUES (?, ?, ?)')
    .run(hostname, certificateId, new Date().toISOString());
  return Number(r.lastInsertRowid);
}
