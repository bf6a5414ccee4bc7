import type { KeyObject, X509Certificate } from 'node:crypto';
import type { CsrCreateBody } from '@certdesk/shared';
import { fingerprintSha256 } from '../../src/cert/identity.js';
import { createCsr } from '../../src/services/csr-service.js';
import type { TestApp } from './app.js';
import { type LeafOptions, makeLeaf, type TestChain } from './pki.js';

/**
 * An inventory put in place through the repositories, writing the rows a successful import writes (key,
 * certificate, learned intermediates, in one transaction), for tests that need certificates without
 * uploading them — expired ones included, which the import refuses.
 */

export interface InsertOptions {
  leaf: { cert: X509Certificate; key: KeyObject };
  pki?: TestChain;
  /** Store without the private key (status pending_key). */
  withoutKey?: boolean;
  name?: string;
  previousVersionId?: number | null;
}

/** Stores a certificate as the import service does; returns its id and its key's id. */
export function insertCertificate(app: TestApp, opts: InsertOptions): { id: number; keyId: number | null } {
  const chain = opts.pki ? [opts.pki.intermediate.cert] : [];
  return app.db.transaction(() => {
    const keyId = opts.withoutKey ? null : app.privateKeys.insert(opts.leaf.key);
    const id = app.certificates.insert({
      cert: opts.leaf.cert,
      chain,
      root: opts.pki ? opts.pki.root.cert : null,
      keyId,
      name: opts.name ?? null,
      report: { checks: [{ id: 'seeded', status: 'pass', message: 'Stored by a test.' }] },
      previousVersionId: opts.previousVersionId ?? null,
    });
    for (const c of chain) app.intermediates.learn(c.subject, fingerprintSha256(c), c.raw);
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

/** Makes `certificateId` the active one, through the settings as HTTPS mode commits them. */
export function setActive(app: TestApp, certificateId: number | null): void {
  app.kv.setServerSettings({ ...app.settings.serverSettings(), activeCertificateId: certificateId });
}

/** An SNI binding, as POST /api/bindings stores it. */
export function addBinding(app: TestApp, hostname: string, certificateId: number): number {
  return app.bindings.insert(hostname, certificateId);
}

/** A pending CSR made by the CSR service (POST /api/csrs without a request: audited with no actor). */
export function seedCsr(app: TestApp, body: CsrCreateBody): Promise<number> {
  return createCsr(app, body, {});
}
