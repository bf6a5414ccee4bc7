import crypto, { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { StartTls } from '@certdesk/shared';
import { oneLineDn } from '../cert/identity.js';

/**
 * A real TLS handshake to the service a target feeds, as its clients make it: TCP, the protocol's own
 * STARTTLS where it has one (SMTP, IMAP, POP3, FTP), SNI, then the served leaf. The chain is not judged
 * here (rejectUnauthorized false): what matters is whether the service serves the certificate deployed,
 * which the caller decides by its SHA-256 fingerprint.
 */

export interface VerifyAddress {
  host: string;
  port: number;
  serverName?: string;
  starttls?: StartTls;
}

export type ServedCertificate =
  | { ok: true; fingerprintSha256: string; subject: string; notAfter: string }
  | { ok: false; error: string };

const MAX_GREETING_BYTES = 64 * 1024;

/** Reads CRLF lines until `done` says the reply is complete; resolves with the reply's lines. */
function readReply(socket: net.Socket, done: (line: string) => boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const lines: string[] = [];
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      if (buf.length > MAX_GREETING_BYTES) return fail(new Error('the server sent too much before STARTTLS'));
      for (let i = buf.indexOf('\n'); i !== -1; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i).replace(/\r$/, '');
        buf = buf.slice(i + 1);
        lines.push(line);
        if (done(line)) {
          cleanup();
          return resolve(lines);
        }
      }
    };
    const onEnd = () => fail(new Error('the server closed the connection before STARTTLS'));
    const fail = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', fail);
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', fail);
  });
}

/** SMTP and FTP: "250-..." continues, "250 ..." ends a reply. */
const lastNumbered = (line: string) => /^\d{3}(?: |$)/.test(line);

async function expect(
  socket: net.Socket,
  send: string | null,
  done: (l: string) => boolean,
  ok: RegExp,
  what: string,
) {
  if (send !== null) socket.write(`${send}\r\n`);
  const lines = await readReply(socket, done);
  const last = lines[lines.length - 1] ?? '';
  if (!ok.test(last)) throw new Error(`${what}: the server answered "${last.slice(0, 200)}"`);
}

/** The protocol's plain-text opening up to the point where the TLS handshake starts. */
export async function negotiateStartTls(socket: net.Socket, protocol: StartTls): Promise<void> {
  switch (protocol) {
    case 'smtp':
      await expect(socket, null, lastNumbered, /^220/, 'SMTP greeting');
      await expect(socket, 'EHLO certdesk.invalid', lastNumbered, /^250/, 'SMTP EHLO');
      await expect(socket, 'STARTTLS', lastNumbered, /^220/, 'SMTP STARTTLS');
      return;
    case 'imap':
      await expect(socket, null, () => true, /^\* (OK|PREAUTH)/i, 'IMAP greeting');
      await expect(socket, 'a001 STARTTLS', (l) => /^a001 /i.test(l), /^a001 OK/i, 'IMAP STARTTLS');
      return;
    case 'pop3':
      await expect(socket, null, () => true, /^\+OK/, 'POP3 greeting');
      await expect(socket, 'STLS', () => true, /^\+OK/, 'POP3 STLS');
      return;
    case 'ftp':
      await expect(socket, null, lastNumbered, /^220/, 'FTP greeting');
      await expect(socket, 'AUTH TLS', lastNumbered, /^234/, 'FTP AUTH TLS');
      return;
  }
}

function describe(raw: Buffer): ServedCertificate {
  const cert = new X509Certificate(raw);
  return {
    ok: true,
    fingerprintSha256: crypto.createHash('sha256').update(raw).digest('hex').toUpperCase(),
    subject: oneLineDn(cert.subject),
    notAfter: new Date(cert.validTo).toISOString(),
  };
}

/** One attempt: the served leaf, or a sentence saying why there was none. Never throws. */
export function fetchServedCertificate(addr: VerifyAddress, timeoutMs = 5000): Promise<ServedCertificate> {
  const where = `${addr.host}:${addr.port}${addr.starttls ? ` (${addr.starttls.toUpperCase()} STARTTLS)` : ''}`;
  return new Promise((resolve) => {
    let settled = false;
    const sockets: net.Socket[] = [];
    const finish = (result: ServedCertificate) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The TLS socket before the plain one it wraps: the other order crashes Node 20 (SIGSEGV).
      for (const s of [...sockets].reverse()) s.destroy();
      resolve(result);
    };
    const fail = (why: string) => finish({ ok: false, error: `${where}: ${why}` });
    const timer = setTimeout(() => fail(`no answer within ${Math.round(timeoutMs / 1000)} s.`), timeoutMs);
    const servername = addr.serverName ?? (net.isIP(addr.host) ? undefined : addr.host);
    const handshake = (socket?: net.Socket) => {
      const secure = tls.connect({
        ...(socket ? { socket } : { host: addr.host, port: addr.port }),
        servername: servername && !net.isIP(servername) ? servername : undefined,
        rejectUnauthorized: false,
      });
      sockets.push(secure);
      secure.once('error', (err) => fail(`TLS handshake failed: ${err.message}`));
      secure.once('secureConnect', () => {
        const peer = secure.getPeerCertificate();
        if (!peer?.raw) return fail('the server sent no certificate.');
        try {
          finish(describe(peer.raw));
        } catch (err) {
          fail(`the served certificate cannot be read: ${(err as Error).message}`);
        }
      });
    };
    if (!addr.starttls) return handshake();
    const plain = net.connect({ host: addr.host, port: addr.port });
    sockets.push(plain);
    plain.once('error', (err) => fail(`cannot connect: ${err.message}`));
    plain.once('connect', () => {
      negotiateStartTls(plain, addr.starttls as StartTls).then(
        () => {
          plain.removeAllListeners('error');
          handshake(plain);
        },
        (err: Error) => fail(err.message),
      );
    });
  });
}
