import http from 'node:http';
import https from 'node:https';
import type tls from 'node:tls';
import { fingerprintSha256 } from '../../src/cert/identity.js';
import type { TestApp } from './app.js';
import { type Issued, TestPki } from './pki.js';
import { insertCertificate } from './seed.js';

/**
 * What HTTPS tests share: a TLS chain from the test PKI (RSA-2048 root → intermediate → leaves), a way to
 * store leaves as the import route does, and real requests over real sockets.
 */

/** A root and an intermediate (pathlen 0), both RSA-2048; leaves for TLS servers under the intermediate. */
export class TlsPki {
  private readonly pki = new TestPki();
  readonly root: Issued;
  readonly intermediate: Issued;

  constructor() {
    this.root = this.pki.root('certdesk test root', { key: 'rsa2048' });
    this.intermediate = this.pki.intermediate('certdesk test intermediate', this.root, {
      key: 'rsa2048',
      pathLen: 0,
    });
  }

  /** A TLS server certificate for these DNS names / IPs (RSA-2048 unless `key`), issued by the intermediate. */
  leaf(names: string[], opts: { key?: 'rsa2048' | 'ec256'; expired?: boolean; crl?: boolean } = {}): Issued {
    return this.pki.leaf(names[0] ?? 'leaf', this.intermediate, {
      key: opts.key ?? 'rsa2048',
      sans: names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)),
      ...(opts.expired ? { startDays: -120, endDays: -60 } : {}),
      extra: opts.crl ? ['crlDistributionPoints=URI:http://crl.certdesk.test/intermediate.crl'] : [],
    });
  }

  cleanup(): void {
    this.pki.cleanup();
  }
}

/** Stores a leaf (with its key unless `withKey: false`) and the intermediate as its chain; returns the id. */
export function seedCertificate(
  app: TestApp,
  pki: TlsPki,
  leaf: Issued,
  opts: { withKey?: boolean } = {},
): number {
  return insertCertificate(app, { leaf, pki, withoutKey: opts.withKey === false }).id;
}

/** Adds the test root to the enterprise trust anchors, as POST /api/trust-anchors stores it. */
export function trustRoot(app: TestApp, pki: TlsPki): void {
  const c = pki.root.cert;
  const fingerprint = fingerprintSha256(c);
  if (app.trustAnchors.idByFingerprint(fingerprint) === undefined)
    app.trustAnchors.insert(c.subject.replace(/\n/g, ', '), fingerprint, c.raw);
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** SHA-1 thumbprint of the certificate the server presented (HTTPS only). */
  thumbprint?: string;
  localPort?: number;
}

/** One real request over a real socket (http or https), trusting the test root and sending SNI. */
export function request(
  url: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    ca?: string;
    servername?: string;
    agent?: http.Agent;
    /** false to look at a certificate the client would refuse. */
    rejectUnauthorized?: boolean;
  } = {},
): Promise<Answer> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = lib.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? 'GET',
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...opts.headers },
        ca: opts.ca,
        servername: opts.servername,
        agent: opts.agent ?? false,
        rejectUnauthorized: opts.rejectUnauthorized ?? true,
      } as https.RequestOptions,
      (res) => {
        let body = '';
        // Read the socket now: a keep-alive agent takes it back once the body ends.
        const socket = res.socket as tls.TLSSocket;
        const peer =
          typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
        const localPort = socket.localPort;
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            thumbprint: peer?.fingerprint?.replace(/:/g, ''),
            localPort,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
