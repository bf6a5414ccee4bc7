import { execFileSync } from 'node:child_process';
import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type tls from 'node:tls';
import type { TestApp } from './app.js';

/**
 * A small PKI made with the openssl CLI at test time (root → intermediate → leaves, RSA-2048 and EC P-256,
 * expired ones through `openssl ca -startdate/-enddate`), and a way to store leaves exactly as the import
 * route does (PrivateKeyStore.insert + CertificateStore.insert in one transaction).
 */
export interface Pem {
  certPem: string;
  keyPem: string;
  cert: X509Certificate;
}

export class TlsPki {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-tls-'));
  readonly root: Pem;
  readonly intermediate: Pem;
  private n = 0;

  constructor() {
    fs.mkdirSync(path.join(this.dir, 'newcerts'));
    fs.writeFileSync(path.join(this.dir, 'index.txt'), '');
    fs.writeFileSync(path.join(this.dir, 'serial'), '1000\n');
    fs.writeFileSync(
      path.join(this.dir, 'ca.cnf'),
      `[ca]\ndefault_ca=d\n[d]\ndatabase=${this.dir}/index.txt\nnew_certs_dir=${this.dir}/newcerts\nserial=${this.dir}/serial\n` +
        'default_md=sha256\npolicy=p\nunique_subject=no\ncopy_extensions=none\n[p]\ncommonName=supplied\n',
    );
    this.root = this.selfSigned('certdesk test root');
    this.intermediate = this.issue('certdesk test intermediate', this.root, {
      ext: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign'],
    });
  }

  private run(args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  private read(name: string): string {
    return fs.readFileSync(path.join(this.dir, name), 'utf8');
  }

  private newKey(file: string, key: 'rsa2048' | 'ec256'): void {
    if (key === 'rsa2048')
      this.run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file]);
    else this.run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
  }

  private selfSigned(cn: string): Pem {
    const base = `r${this.n++}`;
    this.newKey(`${base}.key`, 'rsa2048');
    this.run([
      'req',
      '-x509',
      '-new',
      '-key',
      `${base}.key`,
      '-subj',
      `/CN=${cn}`,
      '-days',
      '3650',
      '-sha256',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      `${base}.crt`,
    ]);
    const certPem = this.read(`${base}.crt`);
    return { certPem, keyPem: this.read(`${base}.key`), cert: new X509Certificate(certPem) };
  }

  issue(
    cn: string,
    issuer: Pem,
    opts: { key?: 'rsa2048' | 'ec256'; ext?: string[]; expired?: boolean } = {},
  ): Pem {
    const base = `c${this.n++}`;
    this.newKey(`${base}.key`, opts.key ?? 'rsa2048');
    this.run(['req', '-new', '-key', `${base}.key`, '-subj', `/CN=${cn}`, '-out', `${base}.csr`]);
    fs.writeFileSync(path.join(this.dir, `${base}.ext`), `${(opts.ext ?? []).join('\n')}\n`);
    fs.writeFileSync(path.join(this.dir, `${base}.ca.crt`), issuer.certPem);
    fs.writeFileSync(path.join(this.dir, `${base}.ca.key`), issuer.keyPem);
    const dates = opts.expired
      ? ['-startdate', '20240101000000Z', '-enddate', '20240301000000Z']
      : ['-days', '90'];
    this.run([
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-notext',
      '-in',
      `${base}.csr`,
      '-cert',
      `${base}.ca.crt`,
      '-keyfile',
      `${base}.ca.key`,
      '-extfile',
      `${base}.ext`,
      ...dates,
      '-out',
      `${base}.crt`,
    ]);
    const certPem = this.read(`${base}.crt`);
    return { certPem, keyPem: this.read(`${base}.key`), cert: new X509Certificate(certPem) };
  }

  /** A TLS server certificate for these DNS names / IPs, issued by the intermediate. */
  leaf(names: string[], opts: { key?: 'rsa2048' | 'ec256'; expired?: boolean; crl?: boolean } = {}): Pem {
    const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
    return this.issue(names[0] ?? 'leaf', this.intermediate, {
      ...opts,
      ext: [
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        `subjectAltName=${san}`,
        ...(opts.crl ? ['crlDistributionPoints=URI:http://crl.certdesk.test/intermediate.crl'] : []),
      ],
    });
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Stores a leaf (with its key unless `withKey: false`) and the intermediate as its chain; returns the id. */
export function seedCertificate(
  app: TestApp,
  pki: TlsPki,
  leaf: Pem,
  opts: { withKey?: boolean } = {},
): number {
  return app.db.transaction(() => {
    const keyId =
      opts.withKey === false ? null : app.privateKeys.insert(crypto.createPrivateKey(leaf.keyPem));
    return app.certificates.insert({
      cert: leaf.cert,
      chain: [pki.intermediate.cert],
      root: pki.root.cert,
      keyId,
    });
  })();
}

/** Adds the test root to the enterprise trust anchors (what the trust-anchors route stores). */
export function trustRoot(app: TestApp, pki: TlsPki): void {
  const c = pki.root.cert;
  app.db
    .prepare(
      'INSERT OR IGNORE INTO trust_anchors (subject, fingerprint_sha256, cert_der, created_at) VALUES (?, ?, ?, ?)',
    )
    .run(
      c.subject,
      crypto.createHash('sha256').update(c.raw).digest('hex').toUpperCase(),
      c.raw,
      new Date().toISOString(),
    );
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
