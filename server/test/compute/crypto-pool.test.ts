import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { after, describe, test } from 'node:test';
import { errorStatus } from '@certdesk/shared/errors';
import { decodeCsr } from '../../src/cert/csr.js';
import { CertError } from '../../src/cert/errors.js';
import { derive, type KdfRequest } from '../../src/cert/kdf.js';
import { spkiSha256 } from '../../src/cert/key-info.js';
import { generateKey, generateKeyWithCsr } from '../../src/cert/keygen.js';
import { bmpPassword } from '../../src/cert/pbe.js';
import { CryptoPool, cpuTimeLimit } from '../../src/compute/crypto-pool.js';

const pools: CryptoPool[] = [];
const pool = (options: ConstructorParameters<typeof CryptoPool>[0] = {}) => {
  const p = new CryptoPool(options);
  pools.push(p);
  return p;
};
after(() => Promise.all(pools.map((p) => p.close())));

/** A time limit the test fires by hand: no test here waits on the clock. */
function manualTimers() {
  const timers: Array<() => void> = [];
  return {
    timers,
    startTimer: (fire: () => void) => {
      timers.push(fire);
      return () => {};
    },
  };
}

const isCode = (code: string, status: number) => (err: unknown) => {
  assert.ok(err instanceof CertError, String(err));
  assert.equal(err.code, code);
  assert.equal(errorStatus(err.code, err.inRequest), status);
  return true;
};

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

describe('CryptoPool: key derivation', () => {
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
      timeoutMs: { kdf: 10_000 },
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
    const p = pool({ size: 1, maxQueue: { kdf: 1 } });
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

describe('CryptoPool: RSA key generation', () => {
  const subject = { commonName: 'pool.example.com', organization: 'Example' };

  test('makes an RSA key pair in a worker, and a CSR signed with it', async () => {
    const p = pool({ size: 1 });
    const { privateKey, publicKey } = await generateKey({ keyType: 'rsa', keySize: 2048 }, p);
    assert.equal(privateKey.asymmetricKeyType, 'rsa');
    assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    const data = Buffer.from('signed in a worker');
    assert.ok(crypto.verify('sha256', data, publicKey, crypto.sign('sha256', data, privateKey)));

    const made = await generateKeyWithCsr(
      { keyType: 'rsa', keySize: 2048 },
      subject,
      ['pool.example.com', '192.0.2.1'],
      p,
    );
    const csr = await decodeCsr(made.csrPem);
    assert.equal(csr.subjectDn, 'CN=pool.example.com, O=Example');
    assert.deepEqual(
      csr.subjectAltNames.map((n) => n.value),
      ['pool.example.com', '192.0.2.1'],
    );
    assert.ok(csr.signatureValid, 'signed by the key it carries');
    assert.equal(csr.keySize, 2048);
    assert.equal(csr.publicKeySha256, spkiSha256(made.privateKey), 'the CSR carries the returned key');
    assert.equal(p.stats().started, 2, 'both ran in the pool');
  });

  test('EC keys are not queued behind RSA work: they do not use the pool', async () => {
    const p = pool({ size: 1 });
    const made = await generateKeyWithCsr({ keyType: 'ec', curve: 'P-256' }, subject, [], p);
    assert.equal(made.privateKey.asymmetricKeyType, 'ec');
    assert.equal(p.stats().started, 0);
  });

  test('a key past its time limit answers KEYGEN_TIMEOUT (503), its worker is replaced, the next key is made', async () => {
    const { timers, startTimer } = manualTimers();
    const p = pool({ size: 1, timeoutMs: { keygen: 20_000 }, startTimer });
    const slow = p.generateRsa({ modulusLength: 4096 });
    assert.equal(p.stats().running, 1);
    (timers.shift() as () => void)(); // the time limit strikes while the key is being made
    await assert.rejects(slow, (err: unknown) => {
      isCode('KEYGEN_TIMEOUT', 503)(err);
      assert.match((err as Error).message, /longer than 20 s/);
      return true;
    });
    assert.equal(p.stats().timedOut, 1);
    assert.equal(p.stats().workers, 0, 'the worker was terminated');
    const next = await p.generateRsa({ modulusLength: 2048 });
    assert.equal(next.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
  });

  test('a full key queue answers KEYGEN_BUSY (503, retry later) at once; derivations still run', async () => {
    const p = pool({ size: 1, maxQueue: { keygen: 1, kdf: 1 } });
    const running = p.generateRsa({ modulusLength: 2048 });
    const queued = p.generateRsa({ modulusLength: 2048 });
    await assert.rejects(p.generateRsa({ modulusLength: 2048 }), (err: unknown) => {
      isCode('KEYGEN_BUSY', 503)(err);
      assert.equal((err as CertError).details.retryAfterSeconds, 10);
      return true;
    });
    assert.equal(p.stats().queued, 1);
    const derivation = p.run(requests.slice(0, 1));
    assert.equal(p.stats().queued, 1, 'the key queue being full does not refuse a derivation');
    assert.equal(
      p.stats().running,
      2,
      'nor does the derivation wait behind the keys: it has a worker of its own',
    );
    await Promise.all([running, queued, derivation]);
  });

  test('closing the pool fails a running key generation with KEYGEN_UNAVAILABLE (503)', async () => {
    const p = pool({ size: 1, startTimer: manualTimers().startTimer });
    const refused = assert.rejects(p.generateRsa({ modulusLength: 4096 }), isCode('KEYGEN_UNAVAILABLE', 503));
    await p.close();
    await refused;
  });
});
