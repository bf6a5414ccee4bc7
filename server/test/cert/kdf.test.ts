import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { iterateHash } from '../../src/cert/iterated-hash.js';
import { pkcs12Kdf } from '../../src/cert/kdf.js';
import { bmpPassword } from '../../src/cert/pbe.js';
import { openssl } from '../support/openssl.js';

describe('PKCS#12 key derivation', () => {
  test('the hand-written SHA-1 and SHA-256 rounds equal node:crypto, for any input and round count', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sha1', 'sha256', 'sha384', 'blake2b512'),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.nat(300),
        (hash, seed, rounds) => {
          const start = crypto.createHash(hash).update(seed).digest();
          let expected = start;
          for (let i = 0; i < rounds; i++) expected = crypto.createHash(hash).update(expected).digest();
          assert.deepEqual(iterateHash(hash, start, rounds), expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('matches the published vectors (RFC 7292 appendix B, BouncyCastle PKCS12Test)', () => {
    const salt = Buffer.from('0A58CF64530D823F', 'hex');
    const hex = (b: Buffer) => b.toString('hex').toUpperCase();
    assert.equal(
      hex(pkcs12Kdf('sha1', bmpPassword('smeg'), salt, 1, 1, 24)),
      '8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3',
    );
    assert.equal(hex(pkcs12Kdf('sha1', bmpPassword('smeg'), salt, 2, 1, 8)), '79993DFE048D3B76');
  });

  test('equals OpenSSL’s PKCS12KDF for any digest, password, salt, purpose, iteration count and length', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sha1', 'sha256', 'sha384', 'sha512', 'sha3-256', 'blake2b512', 'md5'),
        // (the openssl kdf command cannot express "no password"; the PFX tests cover it)
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        fc.uint8Array({ minLength: 1, maxLength: 20 }),
        fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3>,
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 70 }),
        (hash, password, salt, id, iterations, keyLen) => {
          const pass = bmpPassword(password);
          const args = ['kdf', '-keylen', String(keyLen), '-kdfopt', `digest:${hash}`];
          args.push('-kdfopt', `hexpass:${pass.toString('hex')}`);
          args.push('-kdfopt', `hexsalt:${Buffer.from(salt).toString('hex')}`);
          args.push('-kdfopt', `iter:${iterations}`, '-kdfopt', `id:${id}`, 'PKCS12KDF');
          const expected = openssl(args).toString().trim().replace(/:/g, '').toLowerCase();
          const got = pkcs12Kdf(hash, pass, Buffer.from(salt), id, iterations, keyLen).toString('hex');
          assert.equal(got, expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('a password is a BMPString with terminator; no password is no bytes; astral characters are surrogate pairs', () => {
    assert.equal(bmpPassword('ab').toString('hex'), '006100620000');
    assert.equal(bmpPassword('').toString('hex'), '0000');
    assert.equal(bmpPassword(null).length, 0);
    assert.equal(bmpPassword('😀').toString('hex'), 'd83dde000000');
  });
});
