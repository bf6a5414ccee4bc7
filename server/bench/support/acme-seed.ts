import crypto from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { readCertificate, readTlv } from '../../src/cert/der.js';
import { fingerprintSha256 } from '../../src/cert/identity.js';
import type { TestApp } from '../../test/support/app.js';
import { fastLeafFactory } from '../../test/support/fast-leaf.js';
import { makePki } from '../../test/support/pki.js';

const DAY = 86_400_000;

export interface SeededAcme {
  /** Certificate ids, in seeding order. */
  ids: number[];
  /** The ids of the certificates due by their lifetime (every 100th). */
  dueIds: number[];
  seconds: number;
}

/** The issuer's subject key identifier (the content of its 2.5.29.14 extension). */
function subjectKeyId(der: Buffer): Buffer {
  const ext = readCertificate(der).extensions.find((e) => e.oid === '2.5.29.14');
  if (!ext) throw new Error('the test intermediate has no subject key identifier');
  const t = readTlv(ext.value, 0);
  return ext.value.subarray(t.valueStart, t.end);
}

/**
 * `n` ACME-managed certificates as the product stores them: real EC P-256 leaves (47-day lifetime, an
 * authority key identifier so ARI can name them) inserted through CertificateStore and AcmeCertificateStore
 * under `accountId`. Every 100th is due by its lifetime (7 days left of 47); the others have 37 days left.
 * Every row's next check is tomorrow: a pass finds nothing until a case says otherwise.
 */
export async function seedAcmeCertificates(app: TestApp, accountId: number, n: number): Promise<SeededAcme> {
  const t0 = performance.now();
  const pki = await makePki();
  const issuing = pki.intermediate.cert;
  const makeLeaf = fastLeafFactory({ cert: issuing, key: pki.intermediate.key });
  const authorityKeyId = subjectKeyId(issuing.raw);
  const keys = Array.from({ length: 20 }, () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  const spkis = keys.map((k) => k.publicKey.export({ type: 'spki', format: 'der' }));
  const keyIds = app.db.transaction(() => keys.map((k) => app.privateKeys.insert(k.privateKey)))();
  const now = Date.now();
  const tomorrow = new Date(now + DAY).toISOString();
  const keySpec = JSON.stringify({ keyType: 'ec', curve: 'P-256' });
  const dueIds: number[] = [];
  const ids = app.db.transaction(() => {
    app.intermediates.learn(issuing.subject, fingerprintSha256(issuing), issuing.raw);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const due = i % 100 === 0;
      const name = `s${i}.sched-bench.example.com`;
      const notBefore = new Date(now - (due ? 40 : 10) * DAY);
      const cert = makeLeaf({
        serialHex: (0x20000000 + i).toString(16) + crypto.randomBytes(4).toString('hex'),
        commonName: name,
        organization: 'Scheduler bench',
        dnsNames: [name],
        notBefore,
        notAfter: new Date(notBefore.getTime() + 47 * DAY),
        spki: spkis[i % spkis.length] as Buffer,
        authorityKeyId,
      });
      const id = app.certificates.insert({
        cert,
        chain: [issuing],
        root: pki.root.cert,
        keyId: keyIds[i % keyIds.length] as number,
        name: null,
      });
      app.acmeCertificates.insert({
        certificate_id: id,
        account_id: accountId,
        order_id: 0,
        names: JSON.stringify([name]),
        key_spec: keySpec,
        challenge: 'http-01',
        dns_hook: null,
        next_check_at: tomorrow,
      });
      out.push(id);
      if (due) dueIds.push(id);
    }
    return out;
  })();
  app.db.pragma('optimize');
  return { ids, dueIds, seconds: (performance.now() - t0) / 1000 };
}

/** Sets the next check of these certificates (the rest of their renewal state cleared), in one transaction. */
export function setNextCheck(app: TestApp, ids: number[], at: Date): void {
  const iso = at.toISOString();
  app.db.transaction(() => {
    for (const id of ids) {
      app.acmeCertificates.setState(id, {
        next_check_at: iso,
        attempts: 0,
        last_error: null,
        ari_start: null,
        ari_end: null,
        ari_pick: null,
      });
    }
  })();
}

export interface Measured<T> {
  value: T;
  wallMs: number;
  cpuMs: number;
  /** The longest event-loop delay seen while it ran (ms; 1 ms timer resolution). */
  maxDelayMs: number;
}

/**
 * Runs `fn` with an event-loop delay monitor on (perf_hooks, 1 ms resolution): wall time, this process's
 * CPU time (user + system, every thread) and the longest delay a timer saw — how long the loop was blocked.
 */
export async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await sleep(20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // Let the monitor's timer fire once after the last synchronous stretch, so it is recorded.
  await sleep(20);
  h.disable();
  return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxDelayMs: h.max / 1e6 };
}
