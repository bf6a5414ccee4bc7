import { X509Certificate } from 'node:crypto';
import type { AcmeOrder, AcmeOrderCreateBody } from '@certdesk/shared';
import { problemSentence, readDirectory } from '../acme/client.js';
import type { Hook } from '../acme/dns-hooks.js';
import { fingerprintSha256 } from '../cert/identity.js';
import { parseCsrRequest } from '../cert/subject.js';
import type { Db } from '../db/open.js';
import { AppError } from '../errors.js';
import type { AcmeCertificateStore } from '../store/acme-certificates.js';
import type { AcmeChallengeStore } from '../store/acme-challenges.js';
import type { AcmeKeySpec, AcmeOrderRow, AcmeOrderStore, AcmeOrderUpdate } from '../store/acme-orders.js';
import type { CertificateStore } from '../store/certificates.js';
import type { AcmeAccountService } from './acme-accounts.js';
import { runOrder } from './acme-order-run.js';
import type { AuditContext, AuditService } from './audit-service.js';
import type { CertificateLifecycle } from './certificate-lifecycle.js';
import { type CsrServiceDeps, createCsr } from './csr-service.js';
import type { EventBus } from './events.js';
import { type ImportServiceDeps, importCertificate } from './import-service.js';

export interface AcmeOrderDeps {
  db: Db;
  orders: AcmeOrderStore;
  challenges: AcmeChallengeStore;
  acmeCertificates: AcmeCertificateStore;
  certificates: CertificateStore;
  accounts: AcmeAccountService;
  audit: AuditService;
  csrDeps: CsrServiceDeps;
  importDeps: () => ImportServiceDeps;
  lifecycle: CertificateLifecycle;
  events: EventBus;
  hooks: () => Map<string, Hook>;
  now: () => number;
  log: { warn: (obj: object, msg: string) => void };
}

export interface OrderRequest {
  accountId: number;
  names: string[];
  keySpec: AcmeKeySpec;
  challenge: 'http-01' | 'dns-01';
  dnsHook: string | null;
  renewsCertificateId: number | null;
  replaces: string | null;
}

export function orderView(row: AcmeOrderRow): AcmeOrder {
  return {
    id: row.id,
    accountId: row.account_id,
    status: row.status,
    stage: row.stage,
    names: JSON.parse(row.names) as string[],
    challenge: row.challenge,
    dnsHook: row.dns_hook,
    dnsRecords: JSON.parse(row.dns_records) as AcmeOrder['dnsRecords'],
    renewsCertificateId: row.renews_certificate_id,
    ...(row.certificate_id !== null ? { certificateId: row.certificate_id } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The names and key of a POST /api/acme/orders body, checked by the same rules as a CSR's. */
export function parseOrderBody(body: AcmeOrderCreateBody): Pick<OrderRequest, 'names' | 'keySpec'> {
  const req = parseCsrRequest({
    commonName: body.commonName,
    subjectAltNames: body.subjectAltNames,
    keyType: body.keyType ?? 'ec',
    keySize: body.keySize,
    curve: body.curve,
  });
  const names = [...new Set([req.subject.commonName, ...req.subjectAltNames].filter((n) => n !== ''))];
  return { names, keySpec: req.key as AcmeKeySpec };
}

/**
 * ACME orders as use cases: start one (202, runs in the background), follow it, continue a manual DNS
 * one, resume running ones at start. The issued chain goes through the same import as an upload.
 */
export class AcmeOrderService {
  private readonly running = new Map<number, Promise<AcmeOrderRow>>();

  constructor(private readonly deps: AcmeOrderDeps) {}

  private iso(): string {
    return new Date(this.deps.now()).toISOString();
  }

  get(id: number): AcmeOrderRow {
    const row = this.deps.orders.get(id);
    if (!row) throw new AppError('ACME_ORDER_NOT_FOUND');
    return row;
  }

  /** Stores the order (the lock: one running order per renewed certificate) and starts it. */
  start(req: OrderRequest, context: AuditContext | null): AcmeOrderRow {
    this.deps.accounts.get(req.accountId);
    if (req.challenge === 'dns-01') {
      if (!req.dnsHook) {
        throw new AppError('VALIDATION_ERROR', 'dns-01 needs a hook name or "manual".', { field: 'dnsHook' });
      }
      if (req.dnsHook !== 'manual' && !this.deps.hooks().has(req.dnsHook)) {
        throw new AppError('ACME_HOOK_UNKNOWN', undefined, { field: 'dnsHook' });
      }
    }
    if (req.names.length === 0) {
      throw new AppError('VALIDATION_ERROR', 'Name at least one host name.', { field: 'commonName' });
    }
    let id: number;
    try {
      id = this.deps.orders.insert({
        ...req,
        dnsHook: req.challenge === 'dns-01' ? req.dnsHook : null,
        at: this.iso(),
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new AppError('ACME_ORDER_IN_PROGRESS');
      throw err;
    }
    this.deps.audit.record(context, {
      action: 'acme.order.create',
      target: id,
      actor: context ? undefined : 'system',
      details: { names: req.names, challenge: req.challenge, renewsCertificateId: req.renewsCertificateId },
    });
    this.launch(id, false);
    return this.get(id);
  }

  /** A new order for an ACME certificate, with how it was ordered last time (`replaces`: RFC 9773 §5). */
  renew(certificateId: number, replaces: string | null, context: AuditContext | null): AcmeOrderRow {
    const managed = this.deps.acmeCertificates.get(certificateId);
    if (!managed) throw new AppError('NOT_ACME_MANAGED');
    if (this.deps.orders.runningFor(certificateId) !== undefined)
      throw new AppError('ACME_ORDER_IN_PROGRESS');
    return this.start(
      {
        accountId: managed.account_id,
        names: JSON.parse(managed.names) as string[],
        keySpec: JSON.parse(managed.key_spec) as AcmeKeySpec,
        challenge: managed.challenge,
        dnsHook: managed.dns_hook,
        renewsCertificateId: certificateId,
        replaces,
      },
      context,
    );
  }

  /** The admin set the TXT records of a manual dns-01 order: continue it. */
  check(id: number): AcmeOrderRow {
    const row = this.get(id);
    if (row.stage !== 'awaiting-dns' || row.status !== 'pending')
      throw new AppError('ACME_ORDER_NOT_WAITING');
    this.launch(id, true);
    return this.get(id);
  }

  /** At start: orders a restart interrupted continue from their stored stage (a manual one keeps waiting). */
  resume(): number {
    let n = 0;
    for (const row of this.deps.orders.running()) {
      if (row.stage === 'awaiting-dns') continue;
      this.launch(row.id, false);
      n++;
    }
    return n;
  }

  /** The run of an order, or its stored row when none is running (tests and the scheduler await it). */
  wait(id: number): Promise<AcmeOrderRow> {
    return this.running.get(id) ?? Promise.resolve(this.get(id));
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private launch(id: number, dnsConfirmed: boolean): void {
    if (this.running.has(id)) return;
    const run = this.run(id, dnsConfirmed).finally(() => this.running.delete(id));
    this.running.set(id, run);
  }

  private update(id: number, fields: AcmeOrderUpdate): void {
    this.deps.orders.update(id, fields, this.iso());
  }

  private async run(id: number, dnsConfirmed: boolean): Promise<AcmeOrderRow> {
    try {
      await this.steps(id, dnsConfirmed);
    } catch (err) {
      const message = err instanceof AppError ? err.message : problemSentence(err);
      try {
        this.deps.db.transaction(() => {
          this.update(id, { status: 'invalid', error: message });
          this.deps.challenges.clearOrder(id);
        })();
      } catch (storeErr) {
        // The database closed under a shutdown: the stored stage stays, the next start resumes the order.
        this.deps.log.warn({ orderId: id, err: String(storeErr) }, 'ACME order interrupted');
        return { id } as AcmeOrderRow;
      }
      this.deps.log.warn({ orderId: id, err: message }, 'ACME order failed');
    }
    return this.get(id);
  }

  private async steps(id: number, dnsConfirmed: boolean): Promise<void> {
    let row = this.get(id);
    if (row.csr_id === null) {
      const spec = JSON.parse(row.key_spec) as AcmeKeySpec;
      const names = JSON.parse(row.names) as string[];
      // The key and CSR are made like any CSR's (and a renewal CSR names what it renews: the import
      // then records the new certificate as the next version of the old one).
      const csrId = await createCsr(
        this.deps.csrDeps,
        {
          commonName: names[0] ?? '',
          subjectAltNames: names,
          ...spec,
          ...(row.renews_certificate_id !== null ? { renewsCertificateId: row.renews_certificate_id } : {}),
        },
        { user: null },
      );
      this.update(id, { csr_id: csrId, stage: 'order' });
      row = this.get(id);
    }
    const csr = this.deps.csrDeps.csrs.get(row.csr_id as number);
    if (!csr) throw new Error('The CSR of this order is gone.');
    const hooks = this.deps.hooks();
    // Reading the directory first also trusts the account's extra CA for every origin it names.
    await readDirectory(this.deps.accounts.endpoint(row.account_id));
    const result = await runOrder({
      row,
      client: this.deps.accounts.client(row.account_id),
      csrPem: csr.csr_pem,
      challenges: this.deps.challenges,
      hook: row.dns_hook === 'manual' ? 'manual' : row.dns_hook ? (hooks.get(row.dns_hook) ?? null) : null,
      dnsConfirmed,
      progress: (fields) => this.update(id, fields),
    });
    if (result.kind === 'awaiting-dns') {
      this.update(id, { stage: 'awaiting-dns', dns_records: JSON.stringify(result.records) });
      return;
    }
    this.update(id, { stage: 'importing' });
    const certificateId = await this.store(this.get(id), result.pem);
    if (row.renews_certificate_id !== null) {
      // The previous version's usages (HTTPS, bindings) move to the new one; the HTTPS listener swaps.
      try {
        await this.deps.lifecycle.promote(certificateId, new Date(this.deps.now()), 'renew');
      } catch (err) {
        // Issued and stored: the order stays valid, and the error says what is left to do by hand.
        const why = err instanceof Error ? err.message : String(err);
        this.update(id, {
          error: `The new certificate #${certificateId} is stored but was not put in place: ${why}`,
        });
      }
    }
  }

  /** Imports the chain (or finds it stored by an earlier run of this order) and marks it ACME-managed. */
  private async store(row: AcmeOrderRow, pem: string): Promise<number> {
    const leaf = new X509Certificate(pem);
    let certificateId = this.deps.certificates.findByFingerprint(fingerprintSha256(leaf))?.id;
    if (certificateId === undefined) {
      const imported = await importCertificate(
        {
          files: [{ name: `ACME order #${row.id}`, data: Buffer.from(pem), role: 'file' }],
          password: '',
          chainMode: 'auto',
          name: null,
          dryRun: false,
        },
        this.deps.importDeps(),
      );
      certificateId = imported.id as number;
    }
    const id = certificateId;
    this.deps.db.transaction(() => {
      if (!this.deps.acmeCertificates.get(id)) {
        this.deps.acmeCertificates.insert({
          certificate_id: id,
          account_id: row.account_id,
          order_id: row.id,
          names: row.names,
          key_spec: row.key_spec,
          challenge: row.challenge,
          dns_hook: row.dns_hook,
          // Checked at the scheduler's next pass, which works out the real time (ARI or lifetime share).
          next_check_at: this.iso(),
        });
      }
      this.update(row.id, { status: 'valid', stage: 'done', certificate_id: id });
      this.deps.challenges.clearOrder(row.id);
      this.deps.audit.record(null, {
        actor: 'system',
        action: 'acme.order.issued',
        target: row.id,
        details: {
          certificateId: id,
          names: JSON.parse(row.names),
          renewsCertificateId: row.renews_certificate_id,
        },
      });
    })();
    this.deps.events.emit('certificate-stored', { id, source: 'acme' });
    return id;
  }
}
