import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { errorStatus } from '@certdesk/shared/errors';
import { decodeAnyFile } from '../../src/cert/decode.js';
import { detectFile } from '../../src/cert/detect.js';
import { CertError } from '../../src/cert/errors.js';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { TestPki } from '../support/pki.js';

const pki = new TestPki();
after(() => pki.cleanup());

test('an empty PKCS#7 bundle (PEM or DER) says it holds no certificate: P7B_EMPTY', async () => {
  for (const der of [false, true]) {
    const data = pki.p7b([], der);
    for (const read of [
      () => detectFile({ name: 'empty.p7b', data, role: 'file' }, '', cryptoPool()),
      () => decodeAnyFile('empty.p7b', data, '', cryptoPool()),
    ]) {
      await assert.rejects(read, (err: unknown) => {
        assert.ok(err instanceof CertError);
        assert.equal(err.code, 'P7B_EMPTY');
        assert.equal(errorStatus(err.code, err.inRequest), 422);
        assert.match(err.message, /holds no certificate/);
        assert.doesNotMatch(err.message, /cut off/);
        return true;
      });
    }
  }
});

test('a bundle with certificates is still read', async () => {
  const root = pki.root('P7 Root');
  const d = await detectFile({ name: 'b.p7b', data: pki.p7b([root]), role: 'file' }, '', cryptoPool());
  assert.equal(d.certs.length, 1);
});
