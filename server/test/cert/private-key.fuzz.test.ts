import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cryptoPool } from '../../src/compute/crypto-pool.js';

// A regression found in review: a RangeError from the ASN.1 decoder became a 500.
test('readPrivateKey turns any random bytes into a CertError (never a RangeError or TypeError)', async () => {
  const { readPrivateKey } = await import('../../src/cert/private-key.js');
  const { CertError } = await import('../../src/cert/errors.js');
  const { errorStatus } = await import('@certdesk/shared/errors');
  // Deterministic pseudo-random buffers: about 0.7% start with an ASN.1 tag (e.g. 0x1c UniversalString)
  // whose decoder once threw a RangeError, which the decrypt-key tool turned into a 500.
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const escaped: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const b = Buffer.alloc(1 + (next() % 300));
    for (let j = 0; j < b.length; j++) b[j] = next() & 0xff;
    try {
      await readPrivateKey(b, undefined, cryptoPool());
    } catch (err) {
      if (!(err instanceof CertError) || errorStatus(err.code) !== 422)
        escaped.push(`${b.subarray(0, 8).toString('hex')}: ${err}`);
    }
  }
  assert.deepEqual(escaped.slice(0, 5), []);
});
