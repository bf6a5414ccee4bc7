import { execFileSync } from 'node:child_process';
import crypto, { type KeyObject, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The one test PKI: a CA run with the openssl CLI in a temp dir — roots, intermediates, leaves (RSA and
 * EC) with any validity window (`openssl ca -startdate/-enddate`), any extension in openssl's config syntax
 * (CA:FALSE "intermediates", name constraints, AIA URLs, SHA-1 signatures), cross-signing, PFX (modern,
 * 3DES, RC2-40, no MAC), PKCS#7 bundles and re-encoded keys.
 *
 * Why openssl and not the @peculiar/x509 certdesk itself uses: the files people bring are made by openssl
 * and tools like it, and a factory built on certdesk's own library could share a bug with the parser it
 * tests; openssl also writes containers nothing in Node does (legacy and MAC-less PFX, PKCS#7).
 * Only the 10k-certificate benchmark inventory signs in-process (inventory-seed.ts), under a CA made here.
 * `src/cert/test-pki.ts` is the product's lab tool (Tools page), not a test helper.
 */

export type KeySpec = 'rsa1024' | 'rsa2048' | 'rsa3072' | 'rsa4096' | 'ec256' | 'ec384';

export interface Issued {
  name: string;
  keyPath: string;
  certPath: string;
  certPem: string;
  certDer: Buffer;
  keyPem: string;
  subject: string;
  /** The same certificate and key as Node objects, for the repositories and TLS. */
  cert: X509Certificate;
  key: KeyObject;
}

export interface IssueOptions {
  key?: KeySpec;
  /** Reuse another certificate's key (cross-signing, re-issuing). */
  keyFrom?: Issued;
  subject?: string;
  /** Offsets in days from now. Default -1 … +90. */
  startDays?: number;
  endDays?: number;
  /** Extensions section lines (without the [ext] header). */
  ext?: string[];
  md?: 'sha256' | 'sha1' | 'sha384';
}

const OPENSSL_DATE = (d: Date) => `${d.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`;

export class TestPki {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-pki-'));
  private n = 0;

  constructor() {
    fs.mkdirSync(path.join(this.dir, 'newcerts'));
    fs.writeFileSync(path.join(this.dir, 'index.txt'), '');
    fs.writeFileSync(path.join(this.dir, 'crlnumber'), '1000\n');
    fs.writeFileSync(
      path.join(this.dir, 'ca.cnf'),
      [
        '[ ca ]',
        'default_ca = CA_default',
        '[ CA_default ]',
        `dir = ${this.dir}`,
        'database = $dir/index.txt',
        'new_certs_dir = $dir/newcerts',
        'serial = $dir/serial',
        'crlnumber = $dir/crlnumber',
        'default_md = sha256',
        'policy = policy_any',
        'unique_subject = no',
        'email_in_dn = no',
        // Keep the subject as given, in its order: CN first, as most certificates people bring have it.
        'preserve = yes',
        '[ policy_any ]',
        'commonName = supplied',
        'organizationName = optional',
        'organizationalUnitName = optional',
        'localityName = optional',
        'stateOrProvinceName = optional',
        'countryName = optional',
        '[ req ]',
        'distinguished_name = dn',
        '[ dn ]',
        '',
      ].join('\n'),
    );
  }

  openssl(args: string[], input?: string | Buffer): Buffer {
    return execFileSync('openssl', args, { cwd: this.dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  write(name: string, data: string | Buffer): string {
    const p = this.file(name);
    fs.writeFileSync(p, data);
    return p;
  }

  newKey(spec: KeySpec, keyPath: string): void {
    const args = spec.startsWith('rsa')
      ? ['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${spec.slice(3)}`]
      : [
          'genpkey',
          '-algorithm',
          'EC',
          '-pkeyopt',
          `ec_paramgen_curve:${spec === 'ec256' ? 'P-256' : 'P-384'}`,
        ];
    this.openssl([...args, '-out', keyPath]);
  }

  /** Issues a certificate; `issuer` null = self-signed. */
  issue(name: string, issuer: Issued | null, opts: IssueOptions = {}): Issued {
    const id = `${name}-${++this.n}`;
    const keyPath = opts.keyFrom ? opts.keyFrom.keyPath : this.file(`${id}.key`);
    if (!opts.keyFrom) this.newKey(opts.key ?? 'ec256', keyPath);
    const subject = opts.subject ?? `/CN=${name}`;
    const csr = this.file(`${id}.csr`);
    this.openssl([
      'req',
      '-new',
      '-config',
      this.file('ca.cnf'),
      '-key',
      keyPath,
      '-subj',
      subject,
      '-out',
      csr,
    ]);
    const extFile = this.write(`${id}.ext`, `${['[ext]', ...(opts.ext ?? [])].join('\n')}\n`);
    this.write('serial', `${crypto.randomBytes(12).toString('hex').replace(/^./, '1')}\n`);
    const now = Date.now();
    const start = new Date(now + (opts.startDays ?? -1) * 86400_000);
    const end = new Date(now + (opts.endDays ?? 90) * 86400_000);
    const certPath = this.file(`${id}.crt`);
    const args = ['ca', '-batch', '-config', this.file('ca.cnf'), '-in', csr, '-out', certPath, '-notext'];
    args.push('-startdate', OPENSSL_DATE(start), '-enddate', OPENSSL_DATE(end), '-md', opts.md ?? 'sha256');
    args.push('-extfile', extFile, '-extensions', 'ext', '-subj', subject);
    if (issuer) args.push('-cert', issuer.certPath, '-keyfile', issuer.keyPath);
    else args.push('-selfsign', '-keyfile', keyPath);
    this.openssl(args);
    const certPem = fs.readFileSync(certPath, 'utf8');
    const keyPem = fs.readFileSync(keyPath, 'utf8');
    const cert = new X509Certificate(certPem);
    return {
      name,
      keyPath,
      certPath,
      certPem,
      certDer: Buffer.from(cert.raw),
      keyPem,
      subject,
      cert,
      key: crypto.createPrivateKey(keyPem),
    };
  }

  root(name: string, opts: IssueOptions = {}): Issued {
    return this.issue(name, null, {
      endDays: 3650,
      ...opts,
      ext: opts.ext ?? [
        'basicConstraints=critical,CA:TRUE',
        'keyUsage=critical,keyCertSign,cRLSign',
        'subjectKeyIdentifier=hash',
      ],
    });
  }

  intermediate(
    name: string,
    issuer: Issued,
    opts: IssueOptions & { pathLen?: number; extra?: string[] } = {},
  ): Issued {
    const bc =
      opts.pathLen === undefined
        ? 'basicConstraints=critical,CA:TRUE'
        : `basicConstraints=critical,CA:TRUE,pathlen:${opts.pathLen}`;
    return this.issue(name, issuer, {
      endDays: 1825,
      ...opts,
      ext: opts.ext ?? [
        bc,
        'keyUsage=critical,keyCertSign,cRLSign',
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
        ...(opts.extra ?? []),
      ],
    });
  }

  leaf(
    name: string,
    issuer: Issued | null,
    opts: IssueOptions & { sans?: string[]; extra?: string[] } = {},
  ): Issued {
    const sans = opts.sans ?? [`DNS:${name}`];
    return this.issue(name, issuer, {
      ...opts,
      ext: opts.ext ?? [
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        `subjectAltName=${sans.join(',')}`,
        ...(issuer ? ['authorityKeyIdentifier=keyid'] : []),
        ...(opts.extra ?? []),
      ],
    });
  }

  /**
   * PFX in OpenSSL 3 default (AES-256/PBKDF2/SHA-256 MAC), 3DES+SHA-1 MAC, RC2-40 (-legacy), PKCS#5 v1.5
   * PBES1 (MD5-DES certificates, SHA1-RC2-64 key, -legacy), or no MAC.
   */
  pfx(
    leaf: Issued,
    chain: Issued[],
    password: string,
    mode: 'modern' | '3des' | 'rc2' | 'pbes1' | 'nomac' | 'nokey' = 'modern',
    friendlyName?: string,
  ): Buffer {
    const id = ++this.n;
    const chainPath = this.write(`chain-${id}.pem`, chain.map((c) => c.certPem).join(''));
    const out = this.file(`p12-${id}.pfx`);
    const args = ['pkcs12', '-export', '-in', leaf.certPath, '-out', out, '-passout', `pass:${password}`];
    if (mode !== 'nokey') args.push('-inkey', leaf.keyPath);
    else args.push('-nokeys');
    if (chain.length) args.push('-certfile', chainPath);
    if (friendlyName) args.push('-name', friendlyName);
    if (mode === '3des')
      args.push('-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1');
    if (mode === 'rc2') args.push('-legacy');
    if (mode === 'pbes1') args.push('-legacy', '-certpbe', 'PBE-MD5-DES', '-keypbe', 'PBE-SHA1-RC2-64');
    if (mode === 'nomac') args.push('-nomac');
    this.openssl(args);
    return fs.readFileSync(out);
  }

  /**
   * A CRL signed by `issuer` (openssl ca -gencrl, valid 7 days, CRL number from 0x1000 up) revoking
   * `revoked` with keyCompromise. The CA database is shared: earlier revocations stay listed.
   */
  crl(issuer: Issued, revoked: Issued[], der = false): Buffer {
    const id = ++this.n;
    const ca = ['-config', this.file('ca.cnf'), '-cert', issuer.certPath, '-keyfile', issuer.keyPath];
    for (const r of revoked)
      this.openssl(['ca', ...ca, '-revoke', r.certPath, '-crl_reason', 'keyCompromise']);
    const out = this.file(`crl-${id}.pem`);
    this.openssl(['ca', ...ca, '-gencrl', '-crldays', '7', '-out', out]);
    return der ? this.openssl(['crl', '-in', out, '-outform', 'DER']) : fs.readFileSync(out);
  }

  p7b(certs: Issued[], der = false): Buffer {
    const id = ++this.n;
    const args = ['crl2pkcs7', '-nocrl'];
    for (const c of certs) args.push('-certfile', c.certPath);
    if (der) args.push('-outform', 'DER');
    args.push('-out', this.file(`b-${id}.p7b`));
    this.openssl(args);
    return fs.readFileSync(this.file(`b-${id}.p7b`));
  }

  /** The key re-encoded: pkcs8 | pkcs1 (RSA) | sec1 (EC), optionally encrypted with AES-256, PEM or DER. */
  keyAs(issued: Issued, format: 'pkcs8' | 'traditional', passphrase?: string, der = false): Buffer {
    const args = ['pkey', '-in', issued.keyPath];
    if (format === 'traditional') args.push('-traditional');
    if (passphrase) args.push('-aes256', '-passout', `pass:${passphrase}`);
    if (der) args.push('-outform', 'DER');
    return this.openssl(args);
  }

  /** Signs a CSR made elsewhere (e.g. by POST /api/csrs) as a server certificate. */
  signCsr(
    name: string,
    csrPem: string,
    issuer: Issued,
    opts: { endDays?: number; sans?: string[] } = {},
  ): Buffer {
    const id = `${name}-${++this.n}`;
    const csr = this.write(`${id}.csr`, csrPem);
    const sans = opts.sans ?? [`DNS:${name}`];
    const extFile = this.write(
      `${id}.ext`,
      [
        '[ext]',
        'basicConstraints=CA:FALSE',
        'extendedKeyUsage=serverAuth',
        `subjectAltName=${sans.join(',')}`,
        'authorityKeyIdentifier=keyid',
        '',
      ].join('\n'),
    );
    this.write('serial', `${crypto.randomBytes(12).toString('hex').replace(/^./, '1')}\n`);
    const out = this.file(`${id}.crt`);
    const end = new Date(Date.now() + (opts.endDays ?? 90) * 86400_000);
    this.openssl([
      'ca',
      '-batch',
      '-config',
      this.file('ca.cnf'),
      '-in',
      csr,
      '-out',
      out,
      '-notext',
      '-enddate',
      OPENSSL_DATE(end),
      '-cert',
      issuer.certPath,
      '-keyfile',
      issuer.keyPath,
      '-extfile',
      extFile,
      '-extensions',
      'ext',
      '-subj',
      `/CN=${name}`,
    ]);
    return fs.readFileSync(out);
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A root and its issuing CA: what most tests sign their leaves with. */
export interface TestChain {
  root: Issued;
  intermediate: Issued;
}

/** How inventory tests describe a leaf: a server certificate as public CAs issue them. */
export interface LeafOptions {
  cn: string;
  /** DNS names and IP addresses; default the CN. */
  sans?: string[];
  key?: { type: 'rsa'; size?: 2048 | 3072 | 4096 } | { type: 'ec'; curve?: 'P-256' | 'P-384' };
  /** Subject attributes after the CN, e.g. "O=Example, L=Paris, ST=IDF, C=FR". */
  subjectRest?: string;
  /** Validity relative to now, in days (negative = in the past). Default -1 … +90. */
  notBeforeDays?: number;
  notAfterDays?: number;
}

let shared: TestPki | undefined;

/** One CA directory per test process for makePki/makeLeaf, removed when the process exits. */
function sharedPki(): TestPki {
  if (!shared) {
    const pki = new TestPki();
    process.once('exit', () => pki.cleanup());
    shared = pki;
  }
  return shared;
}

/** An EC root (valid for ten years, from 30 days ago) and an EC issuing CA with pathlen 0 under it. */
export async function makePki(): Promise<TestChain> {
  const pki = sharedPki();
  const root = pki.root('certdesk Test Root CA', {
    subject: '/CN=certdesk Test Root CA/O=certdesk tests',
    startDays: -30,
  });
  const intermediate = pki.intermediate('certdesk Test Issuing CA', root, {
    subject: '/CN=certdesk Test Issuing CA/O=certdesk tests',
    startDays: -20,
    pathLen: 0,
  });
  return { root, intermediate };
}

const keySpec = (key: LeafOptions['key']): KeySpec =>
  key?.type === 'rsa' ? `rsa${key.size ?? 2048}` : key?.curve === 'P-384' ? 'ec384' : 'ec256';

/**
 * A leaf with what public CAs put in one: SANs (IP addresses as IP entries), serverAuth and clientAuth,
 * key identifiers, AIA (CA issuers and OCSP), a CRL distribution point and the DV policy.
 */
export async function makeLeaf(issuer: Issued, opts: LeafOptions): Promise<Issued> {
  const sans = (opts.sans ?? [opts.cn]).map((s) => (/^[\d.]+$|:/.test(s) ? `IP:${s}` : `DNS:${s}`));
  const rest = opts.subjectRest ? opts.subjectRest.split(/\s*,\s*/).map((rdn) => `/${rdn}`) : [];
  return sharedPki().issue(opts.cn, issuer, {
    key: keySpec(opts.key),
    subject: `/CN=${opts.cn}${rest.join('')}`,
    startDays: opts.notBeforeDays ?? -1,
    endDays: opts.notAfterDays ?? 90,
    ext: [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      `subjectAltName=${sans.join(',')}`,
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      'authorityInfoAccess=caIssuers;URI:http://pki.example.test/issuing.crt,OCSP;URI:http://ocsp.example.test',
      'crlDistributionPoints=URI:http://pki.example.test/issuing.crl',
      'certificatePolicies=2.23.140.1.2.2',
    ],
  });
}
