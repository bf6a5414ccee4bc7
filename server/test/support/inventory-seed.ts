import crypto, { X509Certificate } from 'node:crypto';
import { fingerprintSha256 } from '../../src/cert/identity.js';
import type { TestApp } from './app.js';
import { fastLeafFactory } from './fast-leaf.js';
import { makePki, type TestChain } from './pki.js';
import { addBinding, setActive } from './seed.js';

const DAY = 86_400_000;
const WORDS = ['www', 'api', 'mail', 'vpn', 'shop', 'portal', 'intranet', 'git', 'ci', 'db', 'auth', 'cdn'];
const DOMAINS = [
  'example.com',
  'example.org',
  'corp.example.net',
  'acme.test',
  'contoso.test',
  'fabrikam.test',
];

export interface SeededInventory {
  pki: TestChain;
  ids: number[];
  /** The i-th seeded certificate (kept as DER: 100,000 parsed certificates would hold ~200 MiB). */
  cert(i: number): X509Certificate;
  count: number;
  generateSeconds: number;
  insertSeconds: number;
}

/** The host name, wildcard and label the i-th seeded certificate carries (benchmarks search for them). */
export function seededNames(i: number): {
  host: string;
  alt: string;
  wildcard: string | null;
  name: string | null;
} {
  return {
    host: `${WORDS[i % WORDS.length]}${i}.${DOMAINS[i % DOMAINS.length]}`,
    alt: `alt${i}.${DOMAINS[(i + 1) % DOMAINS.length]}`,
    wildcard: i % 50 === 7 ? `*.apps${i}.example.com` : null,
    name: i % 10 === 1 ? `Bench label ${i}` : null,
  };
}

/**
 * A realistic large inventory for benchmarks: `n` real EC P-256 leaves signed by a test intermediate,
 * validity spread over ±400 days (expired, expiring, fresh), ~10% without key, ~6% superseded, a
 * wildcard SAN on every 50th, a label on every 10th, 30 SNI bindings and one active certificate.
 * Leaf keys are shared: signing is the cost kept, keygen is not. Everything is inserted through the
 * real CertificateStore (search terms included) in one transaction.
 */
export async function seedInventory(app: TestApp, n: number): Promise<SeededInventory> {
  const pki = await makePki();
  const makeLeaf = fastLeafFactory({
    cert: pki.intermediate.cert,
    key: pki.intermediate.key,
  });
  const leafKeys = Array.from({ length: 20 }, () =>
    crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  );
  const spkis = leafKeys.map((k) => k.publicKey.export({ type: 'spki', format: 'der' }));
  const keyIds = app.db.transaction(() => leafKeys.map((k) => app.privateKeys.insert(k.privateKey)))();
  const ders: Buffer[] = [];
  let generateMs = 0;
  const t0 = performance.now();
  const issuing = pki.intermediate.cert;
  const ids = app.db.transaction(() => {
    app.intermediates.learn(issuing.subject, fingerprintSha256(issuing), issuing.raw);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const g = performance.now();
      const names = seededNames(i);
      const start = Date.now() - ((i * 7919) % 800) * DAY;
      const cert = makeLeaf({
        serialHex: (0x10000000 + i).toString(16) + crypto.randomBytes(4).toString('hex'),
        commonName: names.host,
        organization: `Bench ${i % 50}`,
        dnsNames: [names.host, names.alt, ...(names.wildcard ? [names.wildcard] : [])],
        notBefore: new Date(start),
        notAfter: new Date(start + 397 * DAY),
        spki: spkis[i % spkis.length]!,
      });
      generateMs += performance.now() - g;
      ders.push(cert.raw);
      out.push(
        app.certificates.insert({
          cert,
          chain: [pki.intermediate.cert],
          root: pki.root.cert,
          keyId: i % 10 === 3 ? null : (keyIds[i % keyIds.length] as number),
          name: names.name,
        }),
      );
    }
    return out;
  })();
  app.db.transaction(() => {
    for (let i = 0; i + 1 < ids.length; i += 17)
      app.certificates.setSupersededBy(ids[i] as number, ids[i + 1] as number);
    for (let i = 0; i < 30 && i * 97 + 5 < ids.length; i++)
      addBinding(app, `sni${i}.example.com`, ids[i * 97 + 5] as number);
    setActive(app, ids[Math.min(42, ids.length - 1)] as number);
  })();
  app.db.pragma('optimize');
  const totalMs = performance.now() - t0;
  return {
    pki,
    ids,
    cert: (i) => new X509Certificate(ders[i]!),
    count: n,
    generateSeconds: generateMs / 1000,
    insertSeconds: (totalMs - generateMs) / 1000,
  };
}
