import crypto from 'node:crypto';
import net from 'node:net';
import tls, { type DetailedPeerCertificate } from 'node:tls';
import type { ProbeEntry } from '@certdesk/shared';

/** Node's bundled Mozilla roots plus the admin's enterprise roots: what a well-configured client trusts. */
export function trustStore(extraPems: string[]): string[] {
  return [...tls.rootCertificates, ...extraPems];
}

function dnLine(subject: object | undefined): string {
  if (!subject) return '';
  return Object.entries(subject as Record<string, string | string[] | undefined>)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : (v ?? '')}`)
    .join(', ');
}

function chainOf(peer: DetailedPeerCertificate): DetailedPeerCertificate[] {
  const out: DetailedPeerCertificate[] = [];
  let cur: DetailedPeerCertificate | undefined = peer;
  const seen = new Set<string>();
  while (cur?.raw && !seen.has(cur.fingerprint256)) {
    seen.add(cur.fingerprint256);
    out.push(cur);
    cur = cur.issuerCertificate;
  }
  return out;
}

/**
 * A real TLS handshake to this server, as a client reaching it by `serverName` would make it: SNI for
 * host names, chain verified against the trust store, host name checked with tls.checkServerIdentity.
 */
export function probeOne(opts: {
  host: string;
  port: number;
  serverName: string;
  ca: string[];
  timeoutMs?: number;
}): Promise<ProbeEntry> {
  const { serverName } = opts;
  const entry: ProbeEntry = {
    serverName,
    ok: false,
    error: null,
    protocol: null,
    cipher: null,
    subject: null,
    issuer: null,
    thumbprintSha1: null,
    notAfter: null,
    chainSubjects: [],
    chainVerified: false,
    hostnameVerified: false,
  };
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: opts.host,
      port: opts.port,
      // SNI carries host names only (RFC 6066); an IP address is reached without it.
      servername: net.isIP(serverName) ? undefined : serverName,
      ca: opts.ca,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const done = (error: string | null) => {
      clearTimeout(timer);
      entry.error = entry.error ?? error;
      entry.ok = entry.error === null && entry.chainVerified && entry.hostnameVerified;
      socket.destroy();
      resolve(entry);
    };
    const timer = setTimeout(
      () => done('The handshake did not finish within the time limit.'),
      opts.timeoutMs ?? 5_000,
    );
    socket.once('error', (err) => done(err.message));
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true);
      entry.protocol = socket.getProtocol();
      entry.cipher = socket.getCipher()?.name ?? null;
      if (peer?.raw) {
        entry.subject = dnLine(peer.subject);
        entry.issuer = dnLine(peer.issuer);
        entry.thumbprintSha1 = crypto.createHash('sha1').update(peer.raw).digest('hex').toUpperCase();
        entry.notAfter = new Date(peer.valid_to).toISOString();
        entry.chainSubjects = chainOf(peer).map((c) => dnLine(c.subject));
        const identity = tls.checkServerIdentity(serverName, peer);
        entry.hostnameVerified = identity === undefined;
        if (identity) entry.error = identity.message;
      }
      entry.chainVerified = socket.authorized;
      if (!socket.authorized) {
        entry.error = `The certificate chain does not verify: ${String(socket.authorizationError)}.`;
      }
      done(null);
    });
  });
}

/**
 * Probes every name clients use (`localhost` when none is configured) against the listener, trusting
 * Node's roots and the enterprise trust anchors (PEM).
 */
export async function probeServerNames(opts: {
  listenHost: string;
  port: number;
  names: string[];
  anchorPems: string[];
}): Promise<ProbeEntry[]> {
  const names = [...new Set(opts.names)];
  const host = ['0.0.0.0', '::', ''].includes(opts.listenHost) ? '127.0.0.1' : opts.listenHost;
  const ca = trustStore(opts.anchorPems);
  return Promise.all(
    (names.length > 0 ? names : ['localhost']).map((serverName) =>
      probeOne({ host, port: opts.port, serverName, ca }),
    ),
  );
}
