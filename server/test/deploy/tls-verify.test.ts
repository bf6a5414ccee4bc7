import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { SMTPServer } from 'smtp-server';
import { fetchServedCertificate } from '../../src/deploy/tls-verify.js';
import { type Issued, makeLeaf, makePki } from '../support/pki.js';
import { freePort } from '../support/ports.js';

/**
 * The TLS check of a deployment: a direct handshake, and STARTTLS for SMTP (a real SMTP server library),
 * IMAP, POP3 and FTP (tiny responders speaking just the opening of each protocol), each on loopback.
 */

type Dialog = (socket: net.Socket, upgrade: () => void) => void;

/** A plain-text server that runs `dialog` and then turns the socket into TLS with `leaf`. */
async function startTlsResponder(
  leaf: Issued,
  dialog: Dialog,
): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    dialog(socket, () => {
      socket.removeAllListeners('data');
      const secure = new tls.TLSSocket(socket, { isServer: true, key: leaf.keyPem, cert: leaf.certPem });
      secure.on('error', () => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Answers each complete line the client sends with `reply(line)`; upgrades when it returns 'upgrade'. */
function lines(greeting: string, reply: (line: string) => string | { send: string; upgrade: true }): Dialog {
  return (socket, upgrade) => {
    socket.write(greeting);
    let buf = '';
    socket.on('data', (c: Buffer) => {
      buf += c.toString();
      for (let i = buf.indexOf('\n'); i !== -1; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i).replace(/\r$/, '');
        buf = buf.slice(i + 1);
        const r = reply(line);
        if (typeof r === 'string') socket.write(r);
        else {
          socket.write(r.send);
          socket.pause();
          // The client starts its handshake only after reading the reply: wrap once this handler is done.
          setImmediate(upgrade);
          return;
        }
      }
    });
  };
}

describe('TLS check of a deployed service', () => {
  let leaf: Issued;
  const closers: Array<() => Promise<void>> = [];
  const fp = () => leaf.cert.fingerprint256.replace(/:/g, '');

  before(async () => {
    const pki = await makePki();
    leaf = await makeLeaf(pki.intermediate, { cn: 'mail.test' });
  });
  after(async () => {
    for (const c of closers) await c();
  });

  test('direct TLS: fingerprint, subject and expiry of the served leaf', async () => {
    const server = tls.createServer({ key: leaf.keyPem, cert: leaf.certPem }, (s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(() => r())));
    const served = await fetchServedCertificate({
      host: '127.0.0.1',
      port: (server.address() as net.AddressInfo).port,
      serverName: 'mail.test',
    });
    assert.ok(served.ok, JSON.stringify(served));
    assert.equal(served.fingerprintSha256, fp());
    assert.match(served.subject, /CN=mail\.test/);
    assert.equal(served.notAfter, new Date(leaf.cert.validTo).toISOString());
  });

  test('SMTP STARTTLS against a real SMTP server (EHLO, STARTTLS, handshake)', async () => {
    const smtp = new SMTPServer({ key: leaf.keyPem, cert: leaf.certPem, authOptional: true, logger: false });
    const port = await freePort();
    await new Promise<void>((r) => smtp.listen(port, '127.0.0.1', r));
    closers.push(() => new Promise((r) => smtp.close(() => r())));
    const served = await fetchServedCertificate({ host: '127.0.0.1', port, starttls: 'smtp' });
    assert.ok(served.ok, JSON.stringify(served));
    assert.equal(served.fingerprintSha256, fp());
  });

  test('IMAP, POP3 and FTP STARTTLS', async () => {
    const imap = await startTlsResponder(
      leaf,
      lines('* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n', (l) =>
        /^a001 STARTTLS$/i.test(l)
          ? { send: 'a001 OK Begin TLS negotiation now\r\n', upgrade: true }
          : `${l.split(' ')[0]} BAD\r\n`,
      ),
    );
    const pop3 = await startTlsResponder(
      leaf,
      lines('+OK POP3 ready\r\n', (l) =>
        l === 'STLS' ? { send: '+OK Begin TLS\r\n', upgrade: true } : '-ERR\r\n',
      ),
    );
    const ftp = await startTlsResponder(
      leaf,
      lines('220-Welcome\r\n220 FTP ready\r\n', (l) =>
        l === 'AUTH TLS' ? { send: '234 AUTH TLS OK.\r\n', upgrade: true } : '500 ?\r\n',
      ),
    );
    closers.push(imap.close, pop3.close, ftp.close);
    for (const [starttls, port] of [
      ['imap', imap.port],
      ['pop3', pop3.port],
      ['ftp', ftp.port],
    ] as const) {
      const served = await fetchServedCertificate({ host: '127.0.0.1', port, starttls });
      assert.ok(served.ok, `${starttls}: ${JSON.stringify(served)}`);
      assert.equal(served.fingerprintSha256, fp());
    }
  });

  test('a server that refuses STARTTLS, nothing listening, and silence each give a sentence', async () => {
    const refusing = await startTlsResponder(
      leaf,
      lines('220 mail ESMTP\r\n', (l) =>
        l.startsWith('EHLO') ? '250 mail\r\n' : '454 TLS not available\r\n',
      ),
    );
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    closers.push(refusing.close, () => new Promise((r) => silent.close(() => r())));
    const refused = await fetchServedCertificate({
      host: '127.0.0.1',
      port: refusing.port,
      starttls: 'smtp',
    });
    assert.equal(refused.ok, false);
    assert.match(
      !refused.ok ? refused.error : '',
      /SMTP STARTTLS: the server answered "454 TLS not available"/,
    );
    const closed = await fetchServedCertificate({ host: '127.0.0.1', port: await freePort() });
    assert.match(!closed.ok ? closed.error : '', /ECONNREFUSED/);
    const quiet = await fetchServedCertificate(
      { host: '127.0.0.1', port: (silent.address() as net.AddressInfo).port, starttls: 'imap' },
      300,
    );
    assert.match(!quiet.ok ? quiet.error : '', /no answer within/);
  });
});
