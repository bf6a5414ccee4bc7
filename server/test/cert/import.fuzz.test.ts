import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorStatus } from '@certdesk/shared/errors';
import fc from 'fast-check';
import { detectFile } from '../../src/cert/detect.js';
import { CertError } from '../../src/cert/errors.js';
import { analyzeImport } from '../../src/cert/import.js';
import { readPkcs12 } from '../../src/cert/pkcs12.js';
import { certInfo } from '../../src/cert/x509-info.js';
import { createTestApp, login, multipart, type Session, type TestApp } from '../support/app.js';
import { TestPki } from '../support/pki.js';

/**
 * Property tests: every truncated, bit-flipped or random variant of a valid PEM, DER, p7b, pfx or key
 * either still imports (some flips land in harmless bytes) or fails with a CertError (4xx); never a
 * TypeError, RangeError or 500.
 */

const pki = new TestPki();
const samples: Record<string, Buffer> = {};
let anchorDer: Buffer;

before(() => {
  const root = pki.root('Fuzz Root');
  const ica = pki.intermediate('Fuzz CA', root, { key: 'rsa2048' });
  const leaf = pki.leaf('fuzz.example.test', ica);
  anchorDer = root.certDer;
  samples.pem = Buffer.from(leaf.certPem + ica.certPem);
  samples.der = leaf.certDer;
  samples.p7bPem = pki.p7b([leaf, ica]);
  samples.p7bDer = pki.p7b([leaf, ica], true);
  samples.pfxModern = pki.pfx(leaf, [ica], 'pw', 'modern');
  samples.pfx3des = pki.pfx(leaf, [ica], 'pw', '3des');
  samples.pfxNoMac = pki.pfx(leaf, [ica], 'pw', 'nomac');
  samples.pfxRc2 = pki.pfx(leaf, [ica], 'pw', 'rc2');
  samples.keyPkcs8 = pki.keyAs(leaf, 'pkcs8');
  samples.keySec1Der = pki.keyAs(leaf, 'traditional', undefined, true);
  samples.keyEncrypted = pki.keyAs(leaf, 'pkcs8', 'pw');
});
after(() => pki.cleanup());

/** A mutation of a valid sample: truncate, flip bits, splice random bytes, or replace it entirely. */
function mutated(): fc.Arbitrary<{ name: string; data: Buffer }> {
  const names = () => Object.keys(samples);
  return fc
    .record({
      name: fc.constantFrom(...names()),
      kind: fc.nat(3),
      a: fc.nat(),
      b: fc.nat(),
      bytes: fc.uint8Array({ maxLength: 300 }),
    })
    .map(({ name, kind, a, b, bytes }) => {
      const src = samples[name] as Buffer;
      let data: Buffer;
      if (kind === 0) data = src.subarray(0, a % src.length);
      else if (kind === 1) {
        data = Buffer.from(src);
        for (let i = 0; i < 1 + (b % 4); i++) {
          const pos = (a + i * 7919) % data.length;
          data[pos] = (data[pos] as number) ^ (1 << ((b + i) % 8));
        }
      } else if (kind === 2) {
        const pos = a % src.length;
        data = Buffer.concat([src.subarray(0, pos), Buffer.from(bytes), src.subarray(pos + (b % 64))]);
      } else data = Buffer.from(bytes);
      return { name, data };
    });
}

function assertClean(err: unknown, what: string): void {
  assert.ok(
    err instanceof CertError,
    `${what}: expected CertError, got ${(err as Error)?.stack ?? String(err)}`,
  );
  const status = errorStatus(err.code, err.inRequest);
  assert.ok(status >= 400 && status < 500, `${what}: status ${status}`);
  assert.match(err.code, /^[A-Z0-9_]+$/);
  assert.ok(err.message.length > 10);
}

describe('fuzz: pure module', () => {
  test('detectFile and analyzeImport never throw anything but a 4xx CertError', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(), async ({ name, data }) => {
        try {
          await analyzeImport(
            { files: [{ name: `${name}.bin`, data, role: 'file' }], password: 'pw', chainMode: 'auto' },
            {
              storedIntermediates: () => [],
              enterpriseAnchors: () => [certInfo(anchorDer, 'anchor')],
              findStoredKey: () => null,
              serverNames: ['fuzz.example.test'],
              fetcher: null,
              includeMozilla: false,
            },
          );
        } catch (err) {
          assertClean(err, name);
        }
      }),
      { numRuns: 600, seed: 20261122 },
    );
  });

  test('PFX reader: mutated files and wrong passwords', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('pfxModern', 'pfx3des', 'pfxNoMac', 'pfxRc2'),
        fc.nat(),
        fc.nat(7),
        fc.string({ maxLength: 8 }),
        async (name, pos, bit, pw) => {
          const data = Buffer.from(samples[name] as Buffer);
          data[pos % data.length] = (data[pos % data.length] as number) ^ (1 << bit);
          for (const attempt of [data, data.subarray(0, pos % data.length)]) {
            try {
              await readPkcs12(attempt, pw);
            } catch (err) {
              assertClean(err, name);
            }
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  test('deeply nested and oversized inputs', async () => {
    const nested = Buffer.concat([
      ...Array.from({ length: 5000 }, () => Buffer.from([0x30, 0x80])),
      Buffer.alloc(10000),
    ]);
    const pemNested = Buffer.from(
      `-----BEGIN CERTIFICATE-----\n${nested.toString('base64')}\n-----END CERTIFICATE-----\n`,
    );
    for (const data of [nested, pemNested, Buffer.alloc(2 * 1024 * 1024, 0x30)]) {
      try {
        await detectFile({ name: 'hostile', data, role: 'file' }, '');
        assert.fail('should not be accepted');
      } catch (err) {
        assertClean(err, 'hostile');
      }
    }
  });
});

describe('fuzz: route', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let s: Session;
  before(async () => {
    ({ app, close } = await createTestApp());
    s = await login(app);
  });
  after(() => close());

  test('POST /api/certificates answers every mutated upload with a 4xx (or a dry-run 200)', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(), async ({ name, data }) => {
        const mp = multipart([
          { name: 'file', filename: `${name}.bin`, data },
          { name: 'password', value: 'pw' },
          { name: 'dryRun', value: 'true' },
        ]);
        const res = await app.inject({
          method: 'POST',
          url: '/api/certificates',
          payload: mp.payload,
          headers: { ...s.headers, ...mp.headers },
        });
        assert.ok(
          res.statusCode === 200 || (res.statusCode >= 400 && res.statusCode < 500),
          `${name}: ${res.statusCode} ${res.body}`,
        );
        if (res.statusCode !== 200) assert.match(res.json().code, /^[A-Z0-9_]+$/);
      }),
      { numRuns: 150, seed: 42 },
    );
    assert.equal((app.db.prepare('SELECT COUNT(*) AS n FROM certificates').get() as { n: number }).n, 0);
  });
});
