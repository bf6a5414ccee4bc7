/**
 * The servers tls.bench.ts compares, each started pinned to the server core: certdesk in HTTPS mode
 * (seeded with the bench certificates as an import stores them), nginx with Mozilla "intermediate"
 * settings (certdesk's suites and order, see NGINX_TLS), the bare Fastify reference (bare-fastify.ts)
 * and the raw node:tls reference (raw-tls.ts).
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/db/open.js';
import { CertificateStore } from '../../src/store/certificates.js';
import { KeyEncryption } from '../../src/store/key-encryption.js';
import { PrivateKeyStore } from '../../src/store/private-keys.js';
import { HARDENED_TLS_OPTIONS, TLS12_SUITES, TLS13_SUITES } from '../../src/tls/options.js';
import type { Issued as Pem } from '../../test/support/pki.js';
import { request, type TlsPki } from '../../test/support/tls-seed.js';
import { freePort, SERVER_CORE, spawnPinned, waitForPort } from './proc.js';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const BARE = path.join(import.meta.dirname, '..', 'bare-fastify.ts');
const RAW = path.join(import.meta.dirname, '..', 'raw-tls.ts');
const CLUSTER = path.join(import.meta.dirname, '..', 'cluster-fastify.ts');
const PASSWORD = 'bench password for tls';
const TSX = ['--conditions=source', '--import', 'tsx'];

export type KeyKind = 'RSA-2048' | 'ECDSA P-256';

/** The two certificates every TLS bench serves (same names, one per key type), issued by `pki`. */
export function benchLeaves(pki: TlsPki): Record<KeyKind, Pem> {
  return {
    'RSA-2048': pki.leaf(['localhost'], { key: 'rsa2048' }),
    'ECDSA P-256': pki.leaf(['localhost'], { key: 'ec256' }),
  };
}

/**
 * nginx gets certdesk's own TLS settings (options.ts), which are Mozilla "intermediate" less the DHE suites
 * (nginx has no dhparam here, so it would not offer them either) and with the server's order: Mozilla's
 * nginx has `ssl_prefer_server_ciphers off` and OpenSSL's default TLS 1.3 order, so a client asking
 * AES-256 first got TLS_AES_256_GCM_SHA384 from nginx and TLS_AES_128_GCM_SHA256 from the Node servers.
 * Every server now negotiates the same suite and group (the results file shows it per server).
 */
const NGINX_TLS = `ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ecdh_curve ${HARDENED_TLS_OPTIONS.ecdhCurve.replace('P-256', 'prime256v1').replace('P-384', 'secp384r1')};
    ssl_ciphers ${TLS12_SUITES.join(':')};
    ssl_conf_command Ciphersuites ${TLS13_SUITES.join(':')};
    ssl_prefer_server_ciphers ${HARDENED_TLS_OPTIONS.honorCipherOrder ? 'on' : 'off'};`;

export function startNginx(
  work: string,
  children: ChildProcess[],
  port: number,
  certFile: string,
  keyFile: string,
  sessionTickets = false,
): ChildProcess {
  const prefix = path.join(work, `nginx-${port}`);
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  const conf = `worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  # nginx closes a keep-alive connection after 1000 requests by default; Node never does.
  keepalive_requests 1000000;
  keepalive_timeout 10s;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${certFile};
    ssl_certificate_key ${keyFile};
    ssl_session_timeout 1d;
    ssl_session_cache shared:MozSSL:10m;
    ssl_session_tickets ${sessionTickets ? 'on' : 'off'};
    ${NGINX_TLS}
    location = /api/health { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
`;
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), conf);
  const child = spawnPinned(
    SERVER_CORE,
    '/usr/sbin/nginx',
    ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', '/dev/stderr'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  children.push(child);
  return child;
}

/** node on the server core, under `wrapper` when one is given (valgrind for instructions.ts). */
function spawnNode(wrapper: string[], args: string[], options: SpawnOptions): ChildProcess {
  const [command, ...rest] = [...wrapper, process.execPath, ...args];
  return spawnPinned(SERVER_CORE, command as string, rest, options);
}

export function startBare(
  children: ChildProcess[],
  port: number,
  certFile: string,
  keyFile: string,
  script: 'bare Fastify' | 'raw node:tls' | 'bare Fastify cluster' = 'bare Fastify',
  wrapper: string[] = [],
): ChildProcess {
  // PROFILE_BARE=/dir profiles the reference too (tls-ab.ts), for comparing where each spends its time.
  const profile = process.env.PROFILE_BARE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_BARE}`]
    : [];
  const file = script === 'raw node:tls' ? RAW : script === 'bare Fastify cluster' ? CLUSTER : BARE;
  const child = spawnNode(wrapper, [...TSX, ...profile, file, String(port), certFile, keyFile], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
}

export interface Certdesk {
  child: ChildProcess;
  httpPort: number;
  httpsPort: number;
  ids: Record<KeyKind, number>;
  headers: Record<string, string>;
  caPem: string;
}

export interface CertdeskOptions {
  /** The checkout whose server/src/server.ts runs (default: this one; another for an A/B comparison). */
  root?: string;
  /** Extra node flags, e.g. --cpu-prof for a profile. */
  nodeArgs?: string[];
  /** A command node runs under, e.g. valgrind's (instructions.ts); start-up then gets `startSeconds`. */
  wrapper?: string[];
  startSeconds?: number;
}

/**
 * certdesk at the production log level (info, to a file), HTTPS on and confirmed, serving the RSA
 * certificate; `ids` are the seeded certificates to swap between.
 */
export async function startCertdesk(
  work: string,
  children: ChildProcess[],
  leaves: Record<KeyKind, Pem>,
  pki: TlsPki,
  options: CertdeskOptions = {},
): Promise<Certdesk> {
  // Seed the certificates exactly as an import stores them, before the server starts.
  const dataDir = fs.mkdtempSync(path.join(work, 'data-'));
  const db = openDatabase(dataDir);
  const keys = new PrivateKeyStore(db, KeyEncryption.open(dataDir));
  const certs = new CertificateStore(db);
  const ids = db.transaction(() => {
    const out = {} as Record<KeyKind, number>;
    for (const [kind, leaf] of Object.entries(leaves) as [KeyKind, Pem][]) {
      out[kind] = certs.insert({
        cert: leaf.cert,
        chain: [pki.intermediate.cert],
        keyId: keys.insert(crypto.createPrivateKey(leaf.keyPem)),
      });
    }
    return out;
  })();
  db.close();
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const log = fs.openSync(path.join(dataDir, 'certdesk.log'), 'w');
  const root = options.root ?? ROOT;
  const child = spawnNode(
    options.wrapper ?? [],
    [...TSX, ...(options.nodeArgs ?? []), 'server/src/server.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        CERTDESK_DATA_DIR: dataDir,
        CERTDESK_HOST: '127.0.0.1',
        CERTDESK_HTTP_PORT: String(httpPort),
        CERTDESK_HTTPS_PORT: String(httpsPort),
        CERTDESK_ADMIN_PASSWORD: PASSWORD,
        CERTDESK_HTTPS_CONFIRM_SECONDS: '300',
        CERTDESK_LOG_LEVEL: 'info',
        CERTDESK_WEB_DIST: '/nonexistent',
        CERTDESK_MAX_CONNECTIONS: '5000',
      },
      stdio: ['ignore', log, 'inherit'],
    },
  );
  children.push(child);
  await waitForPort(httpPort, child, options.startSeconds);
  const loginRes = await request(`http://localhost:${httpPort}/api/auth/login`, {
    method: 'POST',
    body: { username: 'admin', password: PASSWORD },
  });
  const cookie = String(loginRes.headers['set-cookie']?.[0]).split(';')[0]!;
  const headers = { cookie, 'x-csrf-token': (JSON.parse(loginRes.body) as { csrfToken: string }).csrfToken };
  const put = await request(`http://localhost:${httpPort}/api/settings/server`, {
    method: 'PUT',
    headers,
    body: { httpsEnabled: true, activeCertificateId: ids['RSA-2048'], serverNames: ['localhost'] },
  });
  if (put.status !== 202) throw new Error(`enable HTTPS: ${put.status} ${put.body}`);
  const cd: Certdesk = { child, httpPort, httpsPort, ids, headers, caPem: pki.root.certPem };
  await confirm(cd);
  return cd;
}

/** One request to certdesk's HTTPS port as the signed-in admin. */
export function certdeskRequest(cd: Certdesk, p: string, method: string, body?: unknown) {
  return request(`https://localhost:${cd.httpsPort}${p}`, {
    method,
    body,
    headers: cd.headers,
    ca: cd.caPem,
    servername: 'localhost',
  });
}

export async function confirm(cd: Certdesk): Promise<void> {
  const r = await certdeskRequest(cd, '/api/settings/server/confirm', 'POST');
  if (r.status !== 200) throw new Error(`confirm: ${r.status} ${r.body}`);
  // Confirming HTTPS moves the session to a new Secure cookie (the one set over HTTP ends).
  const fresh = [r.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('certdesk_session='));
  if (fresh) cd.headers.cookie = fresh.split(';')[0] as string;
}

/** Makes certdesk serve the certificate of that key type (a swap: PUT, then confirm). */
export async function serveCertdesk(cd: Certdesk, kind: KeyKind): Promise<void> {
  const r = await certdeskRequest(cd, '/api/settings/server', 'PUT', { activeCertificateId: cd.ids[kind] });
  if (r.status === 200) return; // already served
  if (r.status !== 202) throw new Error(`swap: ${r.status} ${r.body}`);
  await confirm(cd);
}
