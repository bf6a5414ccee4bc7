import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectSsh, type SshConnectOptions } from '../../src/deploy/ssh-transport.js';
import type { DeployTransport } from '../../src/deploy/transport.js';
import { AppError } from '../../src/errors.js';
import { fingerprintOf, makeSshKey, startSshd, type TestSshd } from '../support/sshd.js';

/** The SSH deploy transport against a real OpenSSH server on loopback. */
let sshd: TestSshd;
let transport: DeployTransport;
let seq = 0;

before(async () => {
  sshd = await startSshd();
  transport = await connectSsh(options());
});
after(async () => {
  await transport?.close();
  await sshd?.stop();
});

function options(overrides: Partial<SshConnectOptions> = {}): SshConnectOptions {
  return {
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.clientKey,
    hostKeySha256: sshd.hostKeySha256,
    timeoutMs: 5000,
    ...overrides,
  };
}

/** A fresh directory per test, so the assertions about leftovers see only that test's files. */
function freshDir(): string {
  const dir = path.join(sshd.dir, `t${++seq}`);
  fs.mkdirSync(dir);
  return dir;
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o7777;
const read = (file: string) => fs.readFileSync(file, 'utf8');
const leftovers = (dir: string) => fs.readdirSync(dir).filter((name) => name.includes('certdesk-tmp'));

function rejectsWith(code: string, check?: (err: AppError) => void) {
  return (err: unknown) => {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    check?.(err);
    return true;
  };
}

describe('writeFiles and restore', () => {
  test('two files are written with their modes, with no temporary file left', async () => {
    const dir = freshDir();
    const written = await transport.writeFiles([
      { path: `${dir}/cert.pem`, data: Buffer.from('CERT\n'), mode: 0o644 },
      { path: `${dir}/key.pem`, data: Buffer.from('KEY\n'), mode: 0o600 },
    ]);
    assert.deepEqual(written, [
      { path: `${dir}/cert.pem`, previousPath: null },
      { path: `${dir}/key.pem`, previousPath: null },
    ]);
    assert.equal(read(`${dir}/cert.pem`), 'CERT\n');
    assert.equal(read(`${dir}/key.pem`), 'KEY\n');
    assert.equal(modeOf(`${dir}/cert.pem`), 0o644);
    assert.equal(modeOf(`${dir}/key.pem`), 0o600);
    assert.deepEqual(leftovers(dir), []);
  });

  test('a file larger than one SFTP packet arrives whole', async () => {
    const dir = freshDir();
    const data = Buffer.alloc(200_000, 'x');
    await transport.writeFiles([{ path: `${dir}/big.pem`, data, mode: 0o640 }]);
    assert.ok(fs.readFileSync(`${dir}/big.pem`).equals(data));
  });

  test('the previous file is kept beside the new one and restore puts it back as it was', async () => {
    const dir = freshDir();
    fs.writeFileSync(`${dir}/cert.pem`, 'OLD\n', { mode: 0o640 });
    fs.chmodSync(`${dir}/cert.pem`, 0o640);
    const written = await transport.writeFiles([
      { path: `${dir}/cert.pem`, data: Buffer.from('NEW\n'), mode: 0o644 },
    ]);
    assert.deepEqual(written, [
      { path: `${dir}/cert.pem`, previousPath: `${dir}/cert.pem.certdesk-previous` },
    ]);
    assert.equal(read(`${dir}/cert.pem`), 'NEW\n');
    assert.equal(read(`${dir}/cert.pem.certdesk-previous`), 'OLD\n');

    await transport.restore(written);
    assert.equal(read(`${dir}/cert.pem`), 'OLD\n');
    assert.equal(modeOf(`${dir}/cert.pem`), 0o640);
    assert.equal(fs.existsSync(`${dir}/cert.pem.certdesk-previous`), false);
  });

  test('a second deployment replaces the kept previous version', async () => {
    const dir = freshDir();
    fs.writeFileSync(`${dir}/cert.pem`, 'V1\n');
    await transport.writeFiles([{ path: `${dir}/cert.pem`, data: Buffer.from('V2\n'), mode: 0o644 }]);
    await transport.writeFiles([{ path: `${dir}/cert.pem`, data: Buffer.from('V3\n'), mode: 0o644 }]);
    assert.equal(read(`${dir}/cert.pem`), 'V3\n');
    assert.equal(read(`${dir}/cert.pem.certdesk-previous`), 'V2\n');
  });

  test('restore removes a file that did not exist before', async () => {
    const dir = freshDir();
    fs.writeFileSync(`${dir}/cert.pem`, 'OLD\n');
    const written = await transport.writeFiles([
      { path: `${dir}/cert.pem`, data: Buffer.from('NEW\n'), mode: 0o644 },
      { path: `${dir}/chain.pem`, data: Buffer.from('CHAIN\n'), mode: 0o644 },
    ]);
    await transport.restore(written);
    assert.equal(read(`${dir}/cert.pem`), 'OLD\n');
    assert.equal(fs.existsSync(`${dir}/chain.pem`), false);
  });

  test('owner and group are set from names (looked up on the target) or numeric ids', async () => {
    const dir = freshDir();
    const nobody = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
    const nogroup = fs.readFileSync('/etc/group', 'utf8').match(/^nogroup:[^:]*:(\d+):/m)?.[1];
    assert.ok(nogroup, 'the system has a nogroup group');
    await transport.writeFiles([
      { path: `${dir}/a.pem`, data: Buffer.from('A'), mode: 0o640, owner: 'nobody', group: 'nogroup' },
      { path: `${dir}/b.pem`, data: Buffer.from('B'), mode: 0o640, owner: String(nobody) },
    ]);
    assert.equal(fs.statSync(`${dir}/a.pem`).uid, nobody);
    assert.equal(fs.statSync(`${dir}/a.pem`).gid, Number(nogroup));
    assert.equal(fs.statSync(`${dir}/b.pem`).uid, nobody);
    assert.equal(modeOf(`${dir}/a.pem`), 0o640);
  });

  test('an unknown owner is refused before anything is written', async () => {
    const dir = freshDir();
    fs.writeFileSync(`${dir}/cert.pem`, 'OLD\n');
    await assert.rejects(
      transport.writeFiles([
        { path: `${dir}/cert.pem`, data: Buffer.from('NEW\n'), mode: 0o644 },
        { path: `${dir}/key.pem`, data: Buffer.from('KEY\n'), mode: 0o600, owner: 'no-such-user-x' },
      ]),
      rejectsWith('DEPLOY_WRITE_FAILED', (err) => assert.equal(err.details.path, `${dir}/key.pem`)),
    );
    assert.deepEqual(fs.readdirSync(dir), ['cert.pem']);
    assert.equal(read(`${dir}/cert.pem`), 'OLD\n');
  });

  test('a directory that cannot be written fails the deployment and leaves every file as it was', async () => {
    const dir = freshDir();
    fs.writeFileSync(`${dir}/cert.pem`, 'OLD\n');
    fs.writeFileSync(`${dir}/not-a-dir`, 'a file where a directory should be');
    await assert.rejects(
      transport.writeFiles([
        { path: `${dir}/cert.pem`, data: Buffer.from('NEW\n'), mode: 0o644 },
        { path: `${dir}/new.pem`, data: Buffer.from('NEW\n'), mode: 0o644 },
        { path: `${dir}/not-a-dir/key.pem`, data: Buffer.from('KEY\n'), mode: 0o600 },
      ]),
      rejectsWith('DEPLOY_WRITE_FAILED', (err) => {
        assert.equal(err.details.path, `${dir}/not-a-dir/key.pem`);
        assert.match(err.message, /not-a-dir does not exist or is not a directory/);
      }),
    );
    assert.equal(read(`${dir}/cert.pem`), 'OLD\n');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['cert.pem', 'not-a-dir']);
  });

  test('a file that cannot be swapped in puts back the files already replaced', async () => {
    const dir = freshDir();
    fs.writeFileSync(`${dir}/cert.pem`, 'OLD\n');
    fs.chmodSync(`${dir}/cert.pem`, 0o640);
    // The temporary file is written fine beside it, but no file can be renamed over a directory.
    fs.mkdirSync(`${dir}/key.pem`);
    await assert.rejects(
      transport.writeFiles([
        { path: `${dir}/cert.pem`, data: Buffer.from('NEW\n'), mode: 0o644 },
        { path: `${dir}/chain.pem`, data: Buffer.from('CHAIN\n'), mode: 0o644 },
        { path: `${dir}/key.pem`, data: Buffer.from('KEY\n'), mode: 0o600 },
      ]),
      rejectsWith('DEPLOY_WRITE_FAILED', (err) => assert.equal(err.details.path, `${dir}/key.pem`)),
    );
    assert.equal(read(`${dir}/cert.pem`), 'OLD\n');
    assert.equal(modeOf(`${dir}/cert.pem`), 0o640);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['cert.pem', 'key.pem']);
  });
});

describe('runHook', () => {
  test('argv reaches the program literally: spaces, quotes, $ and backticks are not expanded', async () => {
    const argv = ['printf', '%s|', 'a b', "it's", '$HOME', '`id`', '"q"', ';echo pwned', '', '*'];
    const result = await transport.runHook(argv, 5000);
    assert.deepEqual(result, {
      exitCode: 0,
      timedOut: false,
      outputTail: 'a b|it\'s|$HOME|`id`|"q"|;echo pwned||*|',
    });
  });

  test('the exit code and the tail of stdout and stderr are reported', async () => {
    const result = await transport.runHook(['sh', '-c', 'echo out; echo err >&2; exit 3'], 5000);
    assert.equal(result.exitCode, 3);
    assert.equal(result.timedOut, false);
    assert.match(result.outputTail, /out/);
    assert.match(result.outputTail, /err/);
  });

  test('a hook that reads stdin gets end-of-file instead of waiting', async () => {
    assert.deepEqual(await transport.runHook(['cat'], 5000), {
      exitCode: 0,
      timedOut: false,
      outputTail: '',
    });
  });

  test('the output is cut to its last 4 KiB', async () => {
    const result = await transport.runHook(
      ['sh', '-c', 'head -c 20000 /dev/zero | tr "\\0" x; echo END'],
      5000,
    );
    assert.equal(result.exitCode, 0);
    assert.ok(Buffer.byteLength(result.outputTail) <= 4096, `${result.outputTail.length} bytes`);
    assert.ok(result.outputTail.endsWith('xEND\n'));
  });

  test('a hook past its timeout is stopped and reported as timed out', async () => {
    const marker = '41.0731';
    const started = Date.now();
    const result = await transport.runHook(['sleep', marker], 400);
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, null);
    assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
    // The remote process is gone too, not only our channel.
    let alive = true;
    for (let i = 0; i < 60 && alive; i++) {
      alive = execFileSync('ps', ['-eo', 'args']).toString().includes(`sleep ${marker}`);
      if (alive) await sleep(100);
    }
    assert.equal(alive, false, 'the remote sleep is still running');
    // The connection stays usable after a timed-out hook.
    assert.equal((await transport.runHook(['true'], 5000)).exitCode, 0);
  });
});

describe('connecting', () => {
  const accepted = () => (sshd.log().match(/Accepted publickey/g) ?? []).length;

  test('a host key other than the pinned one is refused before signing in, naming the key seen', async () => {
    const before = accepted();
    const other = path.join(sshd.dir, 'other_host');
    makeSshKey(other);
    const pinned = fingerprintOf(`${other}.pub`);
    await assert.rejects(
      connectSsh(options({ hostKeySha256: pinned })),
      rejectsWith('SSH_HOST_KEY_MISMATCH', (err) => {
        assert.equal(err.details.seen, sshd.hostKeySha256);
        assert.equal(err.details.expected, pinned);
        assert.ok(err.message.includes(sshd.hostKeySha256));
      }),
    );
    await sleep(200);
    assert.equal(accepted(), before, 'the client signed in although the host key was wrong');
    assert.doesNotMatch(sshd.log().split('\n').slice(-20).join('\n'), /Failed publickey/);
  });

  test('a private key the server does not know → SSH_AUTH_FAILED, without the key in the error', async () => {
    const stranger = makeSshKey(path.join(sshd.dir, 'stranger'));
    await assert.rejects(
      connectSsh(options({ privateKey: stranger })),
      rejectsWith('SSH_AUTH_FAILED', (err) => {
        const body = stranger.split('\n')[2] ?? '';
        assert.ok(body.length > 20);
        assert.ok(!JSON.stringify({ m: err.message, d: err.details }).includes(body));
      }),
    );
  });

  test('a closed port → SSH_UNREACHABLE at once', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const started = Date.now();
    await assert.rejects(connectSsh(options({ port, timeoutMs: 3000 })), rejectsWith('SSH_UNREACHABLE'));
    assert.ok(Date.now() - started < 3000);
  });

  test('a port out of range → SSH_UNREACHABLE, not a crash', async () => {
    await assert.rejects(connectSsh(options({ port: 70000 })), rejectsWith('SSH_UNREACHABLE'));
  });

  test('a server that accepts but never answers → SSH_UNREACHABLE within the timeout', async () => {
    const silent = net.createServer(() => undefined);
    const sockets = new Set<net.Socket>();
    silent.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const started = Date.now();
      await assert.rejects(connectSsh(options({ port, timeoutMs: 800 })), rejectsWith('SSH_UNREACHABLE'));
      const took = Date.now() - started;
      assert.ok(took >= 700 && took < 3000, `took ${took} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('a malformed fingerprint or key is refused before connecting', async () => {
    await assert.rejects(
      connectSsh(options({ hostKeySha256: 'MD5:aa:bb' })),
      rejectsWith('SSH_HOST_KEY_INVALID'),
    );
    await assert.rejects(connectSsh(options({ privateKey: 'not a key' })), rejectsWith('SSH_KEY_INVALID'));
  });
});
