import { buildChain } from '../../src/cert/chain.js';
import { TrustStore } from '../../src/cert/trust-store.js';
import { certInfo } from '../../src/cert/x509-info.js';
import { buildCert, type Party, type rootExtensions, type webChain } from './der-builder.js';

/** Path-validation helpers shared by the cert/ tests: strict verdicts at a fixed time, link rebuilding. */

export const AT = new Date('2025-06-01T12:00:00Z');
export const info = (der: Buffer, source = 'test') => certInfo(der, source);

export async function verdict(
  leaf: Buffer,
  intermediates: Buffer[],
  roots: Buffer[],
  at = AT,
): Promise<{ ok: boolean; problems: string[] }> {
  const r = await buildChain({
    leaf: info(leaf, 'leaf'),
    pool: intermediates.map((d) => info(d, 'ica')),
    trust: new TrustStore(roots.map((d) => info(d, 'root'))),
    now: at,
    strict: true,
  });
  return { ok: r.ok, problems: r.problems };
}

/** Rebuilds one link of a webChain with other extensions (and fields), re-signing what depends on it. */
export function rebuild(
  base: ReturnType<typeof webChain>,
  where: 'leaf' | 'ica' | 'root',
  extensions: ReturnType<typeof rootExtensions>,
  fields: { subject?: Buffer } = {},
) {
  const sign = (p: Party, issuer: Party, exts: typeof extensions, f: { subject?: Buffer } = {}) =>
    buildCert({ subject: f.subject ?? p.name, subjectKey: p.publicKey, extensions: exts, ...f }, issuer);
  return {
    rootDer: where === 'root' ? sign(base.root, base.root, extensions) : base.rootDer,
    icaDer: where === 'ica' ? sign(base.ica, base.root, extensions) : base.icaDer,
    leafDer: where === 'leaf' ? sign(base.leaf, base.ica, extensions, fields) : base.leafDer,
  };
}
