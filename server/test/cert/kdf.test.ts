import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { after, describe, test } from 'node:test';
import { errorStatus } from '@certdesk/shared/errors';
import fc from 'fast-check';
import { CertError } from '../../src/cert/errors.js';
import { iterateHash } from '../../src/cert/iterated-hash.js';
import { derive, type KdfRequest, pkcs12Kdf } from '../../src/cert/kdf.js';
import { cpuTimeLimit, KdfPool } from '../../src/cert/kdf-pool.js';
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

describe('KdfPool', () => {
  const pools: KdfPool[] = [];
  const pool = (options: ConstructorParameters<typeof KdfPool>[0] = {}) => {
    const p = new KdfPool(options);
    pools.push(p);
    return p;
  };
  after(() => Promise.all(pools.map((p) => p.close())));

  const requests: KdfRequest[] = [
    {
      kind: 'pbkdf2',
      password: Buffer.from('pw'),
      salt: Buffer.from('salt'),
      iterations: 3000,
      prf: 'sha256',
      keyLen: 32,
    },
    {
      kind: 'scrypt',
      password: Buffer.from('pw'),
      salt: Buffer.from('salt'),
      N: 1024,
      r: 8,
      p: 1,
      keyLen: 32,
      maxmem: 32 << 20,
    },
    {
      kind: 'pkcs12',
      hash: 'sha256',
      password: bmpPassword('pw'),
      salt: Buffer.from('salt'),
      id: 3,
      iterations: 3000,
      keyLen: 32,
    },
  ];

  test('a worker derives exactly what the calling thread derives', async () => {
    const keys = await pool({ size: 1 }).run(requests);
    assert.deepEqual(keys, requests.map(derive));
  });

  test('derivations run at the lowest CPU priority, the event loop keeps its own (Linux)', async (t) => {
    if (process.platform !== 'linux') return t.skip('thread priorities are read from /proc');
    const nice = () =>
      fs.readdirSync('/proc/self/task').map((tid) => {
        const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return { tid: Number(tid), nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) };
      });
    const before = new Set(nice().map((x) => x.tid));
    await pool({ size: 1 }).run(requests);
    const started = nice().filter((x) => !before.has(x.tid));
    assert.ok(
      started.some((x) => x.nice === os.constants.priority.PRIORITY_LOW),
      `a new thread at nice 19: ${JSON.stringify(started)}`,
    );
    assert.equal(nice().find((x) => x.tid === process.pid)?.nice, os.getPriority(), 'main thread unchanged');
  });

  test("the time limit counts the job thread's CPU time, within a wall-clock ceiling", async () => {
    const fired = (cpu: () => number | null) =>
      new Promise<number>((resolve) => {
        const t0 = Date.now();
        cpuTimeLimit(() => resolve(Date.now() - t0), 100, cpu);
      });
    // No CPU figure (not Linux): the wall-clock limit.
    assert.ok((await fired(() => null)) < 400);
    // Starved of CPU on a busy host: goes on past the limit, stopped at 4× it.
    const starved = await fired(() => 10);
    assert.ok(starved >= 390, `ceiling, not before: ${starved} ms`);
    // Used its CPU: stopped at the limit.
    assert.ok((await fired(() => 150)) < 390);
  });

  test('a job past its time limit answers KDF_TIMEOUT, its worker is replaced, the next job runs', async () => {
    const timers: Array<() => void> = [];
    const p = pool({
      size: 1,
      timeoutMs: 10_000,
      startTimer: (fire) => {
        timers.push(fire);
        return () => {};
      },
    });
    const slow = p.run([{ ...(requests[0] as KdfRequest & { kind: 'pbkdf2' }), iterations: 5_000_000 }]);
    assert.equal(p.stats().running, 1);
    (timers.shift() as () => void)(); // the time limit strikes while the derivation runs
    await assert.rejects(slow, (err: unknown) => {
      assert.ok(err instanceof CertError);
      assert.equal(err.code, 'KDF_TIMEOUT');
      assert.equal(errorStatus(err.code, err.inRequest), 422);
      assert.match(err.message, /longer than 10 s/);
      return true;
    });
    assert.equal(p.stats().timedOut, 1);
    assert.equal(p.stats().workers, 0, 'the worker was terminated');
    assert.deepEqual(await p.run(requests.slice(0, 1)), requests.slice(0, 1).map(derive));
  });

  test('a full queue answers KDF_BUSY (503) at once', async () => {
    const p = pool({ size: 1, maxQueue: 1 });
    const running = p.run(requests);
    const queued = p.run(requests);
    await assert.rejects(
      p.run(requests),
      (err: unknown) =>
        err instanceof CertError && err.code === 'KDF_BUSY' && errorStatus(err.code, err.inRequest) === 503,
    );
    await Promise.all([running, queued]);
  });
});
