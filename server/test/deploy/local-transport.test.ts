import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { HOOK_OUTPUT_TAIL_BYTES, LocalTransport, runLocalHook } from '../../src/deploy/local-transport.js';
import { tempDir } from '../support/app.js';

/** The local transport on its own: atomic writes, previous copies, owners by name, hooks with a time limit. */
describe('local transport', () => {
  const root = tempDir('certdesk-local-transport-');
  const transport = new LocalTransport([root]);
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a new file is created with its mode and owner; restore removes it again', async () => {
    const file = path.join(root, 'new.pem');
    const written = await transport.writeFiles([
      { path: file, data: Buffer.from('new\n'), mode: 0o640, owner: 'nobody', group: 'nogroup' },
    ]);
    assert.deepEqual(written, [{ path: file, previousPath: null }]);
    const st = fs.statSync(file);
    assert.equal(st.mode & 0o777, 0o640);
    assert.equal(st.uid, Number(execFileSync('id', ['-u', 'nobody']).toString().trim()));
    assert.equal(st.gid, Number(execFileSync('getent', ['group', 'nogroup']).toString().split(':')[2]));
    await transport.restore(written);
    assert.equal(fs.existsSync(file), false);
  });

  test('an existing file is kept at <path>.certdesk-previous (same owner and mode) and put back by restore', async () => {
    const file = path.join(root, 'cert.pem');
    fs.writeFileSync(file, 'old\n', { mode: 0o600 });
    fs.chownSync(file, 65534, 65534);
    const written = await transport.writeFiles([
      { path: file, data: Buffer.from('new\n'), mode: 0o644, owner: '0' },
    ]);
    assert.equal(fs.readFileSync(file, 'utf8'), 'new\n');
    assert.equal(fs.statSync(file).uid, 0);
    const previous = `${file}.certdesk-previous`;
    assert.equal(fs.readFileSync(previous, 'utf8'), 'old\n');
    assert.equal(fs.statSync(previous).uid, 65534);
    await transport.restore(written);
    assert.equal(fs.readFileSync(file, 'utf8'), 'old\n');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(file).uid, 65534);
    assert.deepEqual(
      fs.readdirSync(root).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  test('an unknown owner fails before anything is replaced; earlier files are put back', async () => {
    const a = path.join(root, 'a.pem');
    fs.writeFileSync(a, 'a-old');
    await assert.rejects(
      transport.writeFiles([
        { path: a, data: Buffer.from('a-new'), mode: 0o644 },
        { path: path.join(root, 'b.pem'), data: Buffer.from('b'), mode: 0o644, owner: 'no-such-user-here' },
      ]),
      (err: Error & { code?: string }) =>
        err.code === 'DEPLOY_WRITE_FAILED' && /no user named/.test(err.message),
    );
    assert.equal(fs.readFileSync(a, 'utf8'), 'a-old');
    assert.equal(fs.existsSync(path.join(root, 'b.pem')), false);
  });

  test('a path outside the roots is refused by the transport itself', async () => {
    await assert.rejects(
      transport.writeFiles([
        { path: '/etc/certdesk-should-not-exist.pem', data: Buffer.from('x'), mode: 0o644 },
      ]),
      (err: Error & { code?: string }) => err.code === 'PATH_NOT_ALLOWED',
    );
    assert.equal(fs.existsSync('/etc/certdesk-should-not-exist.pem'), false);
  });

  test('hooks: argv without a shell, exit code, output tail of at most 4 KiB', async () => {
    const r = await runLocalHook(['/bin/echo', '$HOME; rm -rf /'], 5000);
    assert.deepEqual(r, { exitCode: 0, timedOut: false, outputTail: '$HOME; rm -rf /\n' });
    const big = await runLocalHook(
      ['/bin/sh', '-c', 'head -c 20000 /dev/zero | tr "\\0" x; echo END; exit 4'],
      5000,
    );
    assert.equal(big.exitCode, 4);
    assert.equal(Buffer.byteLength(big.outputTail), HOOK_OUTPUT_TAIL_BYTES);
    assert.match(big.outputTail, /END\n$/);
    const missing = await runLocalHook(['/nonexistent/reload'], 5000);
    assert.equal(missing.exitCode, null);
    assert.match(missing.outputTail, /ENOENT/);
  });

  test('a hook past its time limit is killed with its whole process group', async () => {
    const marker = path.join(root, 'child.pid');
    const started = Date.now();
    const r = await runLocalHook(['/bin/sh', '-c', `sleep 30 & echo $! > ${marker}; wait`], 300);
    assert.equal(r.timedOut, true);
    assert.ok(Date.now() - started < 5000);
    const child = Number(fs.readFileSync(marker, 'utf8'));
    let alive = true;
    for (let i = 0; i < 30 && alive; i++) {
      try {
        process.kill(child, 0);
        await new Promise((res) => setTimeout(res, 100));
      } catch {
        alive = false;
      }
    }
    assert.equal(alive, false, 'the background child of the hook was killed too');
  });
});
