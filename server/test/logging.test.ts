import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pino from 'pino';
import { LineBatcher, lazyChildLogger, REDACT_PATHS } from '../src/logging.js';
import { tempDir } from './support/app.js';

const LOGGING = path.resolve(import.meta.dirname, '../src/logging.ts');
const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
const line = (i: number) => `{"n":${i},"msg":"${'x'.repeat(i % 300)}"}\n`;

test('LineBatcher hands every line over, in order, and flush(cb) waits until they are written', async () => {
  const file = path.join(tempDir(), 'log');
  const batcher = new LineBatcher(
    pino.destination({ dest: file, sync: false, minLength: 4096, mkdir: true }),
  );
  await sleep(50); // the destination opens its file asynchronously
  const expected = Array.from({ length: 2000 }, (_, i) => line(i));
  for (const l of expected) batcher.write(l);
  await new Promise<void>((resolve, reject) => batcher.flush((err) => (err ? reject(err) : resolve())));
  assert.equal(fs.readFileSync(file, 'utf8'), expected.join(''));
});

test('LineBatcher writes a lone short line within the periodic flush', async () => {
  const file = path.join(tempDir(), 'log');
  const batcher = new LineBatcher(
    pino.destination({ dest: file, sync: false, minLength: 4096, periodicFlush: 100 }),
    4096,
    100,
  );
  batcher.write(line(1));
  for (let i = 0; i < 50 && read(file) === ''; i++) await sleep(50);
  assert.equal(read(file), line(1));
});

test('lines still gathered when the process exits are written out', async () => {
  const file = path.join(tempDir(), 'log');
  const script = `
    import pino from 'pino';
    import { LineBatcher } from ${JSON.stringify(LOGGING)};
    const log = pino({ level: 'info' }, new LineBatcher(pino.destination({ dest: ${JSON.stringify(file)}, sync: false, minLength: 4096 })));
    setTimeout(() => { for (let i = 0; i < 7; i++) log.info({ i }, 'before exit'); process.exit(0); }, 100);
  `;
  await promisify(execFile)(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: path.resolve(import.meta.dirname, '..'),
      timeout: 30_000,
    },
  );
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { i: number }).i),
    [0, 1, 2, 3, 4, 5, 6],
  );
});

test('the redaction paths still hide secrets in a logged body, error details and request headers', () => {
  const out: string[] = [];
  const log = pino(
    { level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    { write: (s: string) => void out.push(s) },
  );
  log.info({ body: { password: 'p1', pfxPassword: 'p2', privateKey: 'k' }, details: { token: 't1' } }, 'x');
  log.info(
    { req: { headers: { authorization: 'Bearer t2', cookie: 'c=1', 'x-csrf-token': 'csrf-v4lue' } } },
    'y',
  );
  log.info({ passphrase: 'p3', err: { keyPem: 'pem' } }, 'z');
  const text = out.join('');
  for (const secret of ['p1', 'p2', '"k"', 't1', 'Bearer t2', 'c=1', 'csrf-v4lue', 'p3', '"pem"'])
    assert.ok(!text.includes(secret), `secret in the log: ${secret}`);
  assert.ok(text.includes('[redacted]'));
});

test('a request logger is made on first use, writes with its binding, and skips what is below the level', () => {
  const out: Record<string, unknown>[] = [];
  const root = pino({ level: 'info' }, { write: (s: string) => void out.push(JSON.parse(s)) });
  const made: unknown[] = [];
  const child = root.child.bind(root);
  root.child = ((...args: Parameters<typeof root.child>) => {
    made.push(args[0]);
    return child(...args);
  }) as typeof root.child;
  const log = lazyChildLogger(root, { reqId: 'req-7' }, {});
  log.debug('not at info');
  assert.equal(log.isLevelEnabled('debug'), false);
  assert.equal(log.level, 'info');
  assert.deepEqual(made, [], 'nothing logged yet, so no child made');
  log.warn({ n: 1 }, 'something');
  log.error(new Error('boom'));
  assert.deepEqual(made, [{ reqId: 'req-7' }], 'one child, made once');
  assert.deepEqual(
    out.map((l) => [l.level, l.reqId, l.msg]),
    [
      [40, 'req-7', 'something'],
      [50, 'req-7', 'boom'],
    ],
  );
  assert.equal(
    lazyChildLogger(root, { reqId: 'r' }, { level: 'debug' }).level,
    'debug',
    'own level: a real child',
  );
});
