import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from '../support/ports.js';
import { Client, makePki, PASSWORD, rand } from './crash-support.js';

/**
 * Crash test: a real server process is driven with imports, CSRs, exports, settings changes and HTTPS
 * switches, killed with SIGKILL at random moments, restarted, and checked each time.
 */
export interface CrashReport {
  kills: number;
  operations: number;
  acknowledged: { tokens: number; csrs: number; imports: number; settings: number; httpsSwitches: number };
  failures: string[];
}

// The harness talks to its own server over HTTPS with a throw-away test CA; this process only.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

const SERVER = path.resolve(import.meta.dirname, '../../src/server.ts');
const MIN_OPERATIONS_PER_ROUND = 3;

export async function runCrashTest(opts: {
  kills: number;
  log?: (line: string) => void;
}): Promise<CrashReport> {
  const log = opts.log ?? (() => {});
  const dataDir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'certdesk-crash-'));
  const httpPort = await freePort();
  const httpsPort = await freePort();
  const pki = makePki(Math.max(6, opts.kills * 3));
  const report: CrashReport = {
    kills: 0,
    operations: 0,
    acknowledged: { tokens: 0, csrs: 0, imports: 0, settings: 0, httpsSwitches: 0 },
    failures: [],
  };
  const acked = { tokens: new Set<string>(), csrs: new Set<number>(), imports: new Set<number>() };
  type Mode = { serverNames: string[]; httpsEnabled: boolean; activeCertificateId: number | null };
  let committed: Mode | null = null;
  // A change whose request the kill cut off may or may not have committed: both outcomes are consistent.
  let inFlight: Mode[] = [];
  let leafIndex = 0;
  let child: ChildProcess | undefined;

  const env = {
    ...process.env,
    CERTDESK_DATA_DIR: dataDir,
    CERTDESK_HTTP_PORT: String(httpPort),
    CERTDESK_HTTPS_PORT: String(httpsPort),
    CERTDESK_ADMIN_PASSWORD: PASSWORD,
    CERTDESK_LOG_LEVEL: 'warn',
    CERTDESK_WEB_DIST: '/nonexistent',
    CERTDESK_HTTPS_CONFIRM_SECONDS: '30',
  };

  async function start(): Promise<Client> {
    child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', SERVER], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const client = new Client(`http://127.0.0.1:${httpPort}`, `https://localhost:${httpsPort}`);
    for (let i = 0; i < 300; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${httpPort}/api/health`);
        if (r.ok) {
          await client.login();
          return client;
        }
      } catch {
        /* not up yet */
      }
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('server did not start in 30 s');
  }

  function check(round: number): void {
    const db = new Database(path.join(dataDir, 'certdesk.db'), { readonly: true });
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') report.failures.push(`round ${round}: integrity_check = ${integrity}`);
      const orphans = (
        db
          .prepare(`SELECT count(*) AS n FROM private_keys k WHERE NOT EXISTS (SELECT 1 FROM csrs c WHERE c.key_id = k.id)
        AND NOT EXISTS (SELECT 1 FROM certificates x WHERE x.key_id = k.id)`)
          .get() as { n: number }
      ).n;
      if (orphans) report.failures.push(`round ${round}: ${orphans} orphan private keys`);
      const keyless = (
        db.prepare('SELECT count(*) AS n FROM certificates WHERE key_id IS NULL').get() as { n: number }
      ).n;
      if (keyless)
        report.failures.push(`round ${round}: ${keyless} certificates without their key (half-imported)`);
      const dangling = (
        db
          .prepare(
            'SELECT count(*) AS n FROM certificates WHERE key_id IS NOT NULL AND key_id NOT IN (SELECT id FROM private_keys)',
          )
          .get() as { n: number }
      ).n;
      if (dangling)
        report.failures.push(`round ${round}: ${dangling} certificates pointing to a missing key`);
      for (const name of acked.tokens) {
        if (!db.prepare('SELECT 1 FROM api_tokens WHERE name = ?').get(name))
          report.failures.push(`round ${round}: acknowledged token ${name} lost`);
      }
      for (const id of acked.csrs) {
        if (!db.prepare('SELECT 1 FROM csrs WHERE id = ?').get(id))
          report.failures.push(`round ${round}: acknowledged CSR ${id} lost`);
      }
      for (const id of acked.imports) {
        if (!db.prepare('SELECT 1 FROM certificates WHERE id = ?').get(id))
          report.failures.push(`round ${round}: acknowledged import ${id} lost`);
      }
    } finally {
      db.close();
    }
  }

  async function checkMode(client: Client, round: number): Promise<void> {
    if (!committed) return;
    const res = await client.call('GET', '/api/settings/server');
    const s = (await res.json()) as Mode;
    const cutOff = inFlight.find(
      (m) =>
        JSON.stringify(m.serverNames) === JSON.stringify(s.serverNames) &&
        m.httpsEnabled === s.httpsEnabled &&
        m.activeCertificateId === s.activeCertificateId,
    );
    inFlight = [];
    if (cutOff) {
      committed = cutOff; // the kill hid its acknowledgement, but it did commit
      return;
    }
    if (JSON.stringify(s.serverNames) !== JSON.stringify(committed.serverNames))
      report.failures.push(
        `round ${round}: serverNames ${JSON.stringify(s.serverNames)} ≠ committed ${JSON.stringify(committed.serverNames)}`,
      );
    if (s.httpsEnabled !== committed.httpsEnabled)
      report.failures.push(
        `round ${round}: httpsEnabled ${s.httpsEnabled} ≠ committed ${committed.httpsEnabled}`,
      );
    if (s.activeCertificateId !== committed.activeCertificateId)
      report.failures.push(
        `round ${round}: active certificate ${s.activeCertificateId} ≠ committed ${committed.activeCertificateId}`,
      );
    if (committed.httpsEnabled) {
      try {
        const r = await fetch(`https://127.0.0.1:${httpsPort}/api/health`, {
          signal: AbortSignal.timeout(5000),
        }).catch(async () => {
          // Test CA is not trusted by fetch: a TLS handshake with any certificate proves the listener serves.
          const tls = await import('node:tls');
          return new Promise<{ ok: boolean }>((resolve) => {
            const sock = tls.connect(
              { host: '127.0.0.1', port: httpsPort, servername: 'localhost', rejectUnauthorized: false },
              () => {
                sock.end();
                resolve({ ok: true });
              },
            );
            sock.on('error', () => resolve({ ok: false }));
          });
        });
        if (!r.ok)
          report.failures.push(`round ${round}: HTTPS mode committed but the HTTPS listener does not serve`);
      } catch (err) {
        report.failures.push(`round ${round}: HTTPS check failed: ${(err as Error).message}`);
      }
    }
  }

  const operations: Array<(c: Client) => Promise<void>> = [
    async (c) => {
      const name = `t${Date.now()}${rand(1000)}`;
      const r = await c.call('POST', '/api/tokens', { name, password: PASSWORD });
      if (r.status === 201) acked.tokens.add(name);
    },
    async (c) => {
      const r = await c.call('POST', '/api/csrs', {
        commonName: `crash${rand(1e6)}.example.com`,
        subjectAltNames: [],
        organization: 'Crash',
        organizationalUnit: 'QA',
        locality: 'Oslo',
        state: 'Oslo',
        country: 'NO',
        keyType: 'ec',
        curve: 'P-256',
      });
      if (r.status === 201) acked.csrs.add(((await r.json()) as { id: number }).id);
    },
    async (c) => {
      const leaf = pki.leaves[leafIndex++ % pki.leaves.length] as { certPem: string; keyPem: string };
      const form = new FormData();
      form.append('file', new Blob([leaf.certPem]), 'server.crt');
      form.append('file', new Blob([leaf.keyPem]), 'server.key');
      const r = await c.call('POST', '/api/certificates', form);
      if (r.status === 201) acked.imports.add(((await r.json()) as { id: number }).id);
    },
    async (c) => {
      const id = [...acked.imports][0];
      if (id)
        await (await c.call('POST', `/api/certificates/${id}/export`, { format: 'fullchain' })).arrayBuffer();
    },
    async (c) => {
      const serverNames = ['localhost', `n${rand(1000)}.example.com`].slice(0, 1 + rand(2));
      const candidate = committed ? { ...committed, serverNames } : null;
      if (candidate) inFlight.push(candidate);
      const r = await c.call('PUT', '/api/settings/server', { serverNames });
      inFlight = inFlight.filter((m) => m !== candidate); // answered: the status says what happened
      if (r.status === 200 && committed) {
        committed = { ...committed, serverNames };
        report.acknowledged.settings++;
      }
    },
    async (c) => {
      const id = [...acked.imports].at(-1);
      if (!id || !committed) return;
      const enable = !committed.httpsEnabled || rand(2) === 0;
      const candidate = {
        ...committed,
        httpsEnabled: enable,
        activeCertificateId: enable ? id : committed.activeCertificateId,
      };
      inFlight.push(candidate);
      const r = await c.call(
        'PUT',
        '/api/settings/server',
        enable ? { httpsEnabled: true, activeCertificateId: id } : { httpsEnabled: false },
      );
      if (r.status !== 202) inFlight = inFlight.filter((m) => m !== candidate);
      if (r.status === 200) {
        committed = candidate;
        report.acknowledged.httpsSwitches++;
        return;
      }
      if (r.status !== 202) return;
      // Confirm over the new HTTPS listener, as the browser would.
      const https = await import('node:https');
      const status = await new Promise<number>((resolve) => {
        const req = https.request(
          {
            host: '127.0.0.1',
            port: httpsPort,
            path: '/api/settings/server/confirm',
            method: 'POST',
            rejectUnauthorized: false,
            servername: 'localhost',
            headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            // Confirming the switch to HTTPS moves the session to a new (Secure) cookie, as a browser keeps it.
            const rotated = [res.headers['set-cookie'] ?? []]
              .flat()
              .find((v) => v.startsWith('certdesk_session='));
            if (rotated) c.cookie = rotated.split(';')[0] as string;
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', () => resolve(0));
        req.end('{}');
      });
      if (status !== 0) inFlight = inFlight.filter((m) => m !== candidate);
      if (status === 200) {
        committed = candidate;
        report.acknowledged.httpsSwitches++;
      }
    },
  ];

  try {
    let client = await start();
    await client.call(
      'POST',
      '/api/trust-anchors',
      (() => {
        const f = new FormData();
        f.append('file', new Blob([pki.caPem]), 'ca.pem');
        return f;
      })(),
    );
    const init = await client.call('PUT', '/api/settings/server', { serverNames: ['localhost'] });
    if (init.status === 200)
      committed = { serverNames: ['localhost'], httpsEnabled: false, activeCertificateId: null };
    // One token, CSR and import acknowledged before any kill, so every run checks that each kind of
    // acknowledged write survives, however few requests a loaded machine answers in a round.
    for (const op of operations.slice(0, 3)) {
      await (op as (c: Client) => Promise<void>)(client);
      report.operations++;
    }
    for (let round = 1; round <= opts.kills; round++) {
      let running = true;
      let answered = 0;
      const driver = (async () => {
        while (running) {
          const op = operations[rand(operations.length)] as (c: Client) => Promise<void>;
          try {
            await op(client);
            report.operations++;
            answered++;
          } catch {
            /* the kill cuts requests off mid-way: expected */
          }
        }
      })();
      // The kill falls at a random moment once the round has done some work: a fixed window after the
      // restart can end before a loaded machine answers the first request, and then kills nothing new.
      for (let i = 0; i < 600 && answered < MIN_OPERATIONS_PER_ROUND; i++)
        await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200 + rand(1500)));
      child?.kill('SIGKILL');
      await new Promise((r) => child?.once('exit', r));
      running = false;
      await driver;
      report.kills++;
      check(round);
      client = await start();
      await checkMode(client, round);
      log(`round ${round}: ${report.operations} ops so far, ${report.failures.length} failures`);
    }
    check(opts.kills + 1);
  } finally {
    child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  report.acknowledged.tokens = acked.tokens.size;
  report.acknowledged.csrs = acked.csrs.size;
  report.acknowledged.imports = acked.imports.size;
  return report;
}
