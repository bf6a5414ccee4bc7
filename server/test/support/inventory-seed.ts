import 'reflect-metadata';
import crypto, { X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { fingerprintSha256 } from '../../src/cert/identity.js';
import type { TestApp } from './app.js';
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
  certs: X509Certificate[];
  generateSeconds: number;
  insertSeconds: number;
}

/**
 * A realistic large inventory for benchmarks: `n` real EC P-256 leaves signed by a test intermediate,
 * validity spread over ±400 days (expired, expiring, fresh), ~10% without key, ~6% superseded, 30 SNI
 * bindings and one active certificate. Leaf keys are shared: signing is the cost kept, keygen is not.
 * The CA comes from the test PKI (pki.ts); the leaves are signed in-process under its intermediate,
 * because one openssl run per leaf would make 10k of them take minutes.
 */
export async function seedInventory(app: TestApp, n: number): Promise<SeededInventory> {
  const t0 = performance.now();
  const pki = await makePki();
  const issuerName = new x509.X509Certificate(pki.intermediate.cert.raw).subject;
  const signingAlgorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const issuerKey = await crypto.webcrypto.subtle.importKey(
    'pkcs8',
    pki.intermediate.key.export({ type: 'pkcs8', format: 'der' }),
    signingAlgorithm,
    false,
    ['sign'],
  );
  const leafKeys = await Promise.all(
    Array.from({ length: 20 }, () =>
      crypto.webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']),
    ),
  );
  const keyIds = app.db.transaction(() =>
    leafKeys.map((k) => app.privateKeys.insert(crypto.KeyObject.from(k.privateKey))),
  )();
  const certs: X509Certificate[] = [];
  for (let i = 0; i < n; i++) {
    const host = `${WORDS[i % WORDS.length]}${i}.${DOMAINS[i % DOMAINS.length]}`;
    const start = Date.now() - ((i * 7919) % 800) * DAY;
    const c = await x509.X509CertificateGenerator.create({
      serialNumber: (0x10000000 + i).toString(16) + crypto.randomBytes(4).toString('hex'),
      subject: `CN=${host}, O=Bench ${i % 50}`,
      issuer: issuerName,
      notBefore: new Date(start),
      notAfter: new Date(start + 397 * DAY),
      publicKey: (leafKeys[i % leafKeys.length] as CryptoKeyPair).publicKey,
      signingKey: issuerKey,
      signingAlgorithm,
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: host },
          { type: 'dns', value: `alt${i}.${DOMAINS[(i + 1) % DOMAINS.length]}` },
        ]),
      ],
    });
    certs.push(new X509Certificate(Buffer.from(c.rawData)));
  }
  const t1 = performance.now();
  // One transaction through the repository, as an import writes each row: the bulk stays fast.
  const issuing = pki.intermediate.cert;
  const ids = app.db.transaction(() => {
    app.intermediates.learn(issuing.subject, fingerprintSha256(issuing), issuing.raw);
    return certs.map((cert, i) =>
      app.certificates.insert({
        cert,
        chain: [issuing],
        root: pki.root.cert,
        keyId: i % 10 === 3 ? null : (keyIds[i % keyIds.length] as number),
      }),
    );
  })();
  app.db.transaction(() => {
    for (let i = 0; i + 1 < ids.length; i += 17)
      app.certificates.setSupersededBy(ids[i] as number, ids[i + 1] as number);
    for (let i = 0; i < 30 && i * 97 + 5 < ids.length; i++)
      addBinding(app, `sni${i}.example.com`, ids[i * 97 + 5] as number);
    setActive(app, ids[Math.min(42, ids.length - 1)] as number);
  })();
  app.db.pragma('optimize');
  return {
    pki,
    ids,
    certs,
    generateSeconds: (t1 - t0) / 1000,
    insertSeconds: (performance.now() - t1) / 1000,
  };
}

type CryptoKeyPair = crypto.webcrypto.CryptoKeyPair;
