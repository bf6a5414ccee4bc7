import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  hookCommandOf,
  parseHostKeySha256,
  parsePrivateKey,
  quoteShellArg,
  shellCommandOf,
} from '../../src/deploy/ssh-transport.js';
import { AppError } from '../../src/errors.js';
import { fingerprintOf, makeSshKey } from '../support/sshd.js';

/** What the service checks when a target is created: keys, fingerprints, and the remote command line. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-sshkeys-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function refused(code: string, sentence?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, code);
    if (sentence) assert.match(err.message, sentence);
    return true;
  };
}

test('OpenSSH ed25519 and PEM RSA private keys are read, with the fingerprint ssh-keygen prints', () => {
  const ed = makeSshKey(path.join(dir, 'ed'));
  assert.deepEqual(parsePrivateKey(ed), {
    type: 'ssh-ed25519',
    publicKeySha256: fingerprintOf(path.join(dir, 'ed.pub')),
  });
  const rsa = makeSshKey(path.join(dir, 'rsa'), 'rsa-pem');
  assert.match(rsa, /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.equal(parsePrivateKey(rsa).publicKeySha256, fingerprintOf(path.join(dir, 'rsa.pub')));
});

test('an encrypted key needs its passphrase, and a wrong one is told apart', () => {
  execFileSync('ssh-keygen', ['-t', 'ed25519', '-N', 'open sesame', '-q', '-f', path.join(dir, 'enc')]);
  const enc = fs.readFileSync(path.join(dir, 'enc'), 'utf8');
  assert.throws(() => parsePrivateKey(enc), refused('SSH_KEY_INVALID', /encrypted/));
  assert.throws(() => parsePrivateKey(enc, 'wrong'), refused('SSH_KEY_INVALID', /passphrase .* is wrong/));
  assert.equal(parsePrivateKey(enc, 'open sesame').type, 'ssh-ed25519');
});

test('a public key, junk or a cut-off key is refused with SSH_KEY_INVALID and never echoed', () => {
  makeSshKey(path.join(dir, 'pub'));
  const pub = fs.readFileSync(path.join(dir, 'pub.pub'), 'utf8');
  assert.throws(() => parsePrivateKey(pub), refused('SSH_KEY_INVALID', /public key/));
  assert.throws(() => parsePrivateKey(''), refused('SSH_KEY_INVALID'));
  assert.throws(() => parsePrivateKey('-----BEGIN PRIVATE KEY-----\nnope\n'), refused('SSH_KEY_INVALID'));
  const key = fs.readFileSync(path.join(dir, 'pub'), 'utf8');
  const cut = key.slice(0, key.length / 2);
  try {
    parsePrivateKey(cut);
    assert.fail('a cut-off key was accepted');
  } catch (err) {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'SSH_KEY_INVALID');
    const line = cut.split('\n')[1] ?? '';
    assert.ok(!JSON.stringify({ m: err.message, d: err.details }).includes(line));
  }
});

test('host key fingerprints: the ssh-keygen form, padding tolerated, anything else refused', () => {
  const good = 'SHA256:Qb744bAb0ydZ/zzpWVoJ+kJYZs2jSQEJXcZFkWXB7CI';
  assert.equal(parseHostKeySha256(good), good);
  assert.equal(parseHostKeySha256(` ${good}= `), good);
  for (const bad of [
    '',
    'Qb744bAb0ydZ/zzpWVoJ+kJYZs2jSQEJXcZFkWXB7CI',
    'MD5:12:34',
    `${good}A`,
    'SHA256:short',
  ]) {
    assert.throws(() => parseHostKeySha256(bad), refused('SSH_HOST_KEY_INVALID'), bad);
  }
});

test('argv is single-quoted for a POSIX shell and survives one', () => {
  assert.equal(quoteShellArg("it's"), `'it'\\''s'`);
  assert.equal(shellCommandOf(['a b', '$x']), `'a b' '$x'`);
  const argv = ['printf', '%s\n', "'", "''", '$(id)', '\\', 'a\nb', '!'];
  const out = execFileSync('sh', ['-c', shellCommandOf(argv)]).toString();
  assert.equal(out, "'\n''\n$(id)\n\\\na\nb\n!\n");
  const bounded = execFileSync('sh', ['-c', hookCommandOf(['printf', '%s', '$HOME'], 1500)]).toString();
  assert.equal(bounded, '$HOME');
  assert.match(hookCommandOf(['true'], 1500), /timeout -k 2 3 'true'/);
  assert.throws(() => shellCommandOf([]));
});
