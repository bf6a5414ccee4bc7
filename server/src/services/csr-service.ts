import type { CsrCreateBody } from '@certdesk/shared';
import { generateKeyWithCsr } from '../cert/keygen.js';
import { parseCsrRequest } from '../cert/subject.js';
import { cryptoPool } from '../compute/crypto-pool.js';
import type { Db } from '../db/open.js';
import { AppError } from '../errors.js';
import type { CertificateStore } from '../store/certificates.js';
import type { CsrStore } from '../store/csrs.js';
import type { PrivateKeyStore } from '../store/private-keys.js';
import type { AuditContext, AuditService } from './audit-service.js';

export interface CsrServiceDeps {
  db: Db;
  certificates: CertificateStore;
  privateKeys: PrivateKeyStore;
  csrs: CsrStore;
  audit: AuditService;
}

/** Generates a key and a CSR; the key stays on the server, sealed. Returns the new CSR's id. */
export async function createCsr(
  deps: CsrServiceDeps,
  body: CsrCreateBody,
  context: AuditContext,
): Promise<number> {
  const req = parseCsrRequest(body);
  const renews = body.renewsCertificateId ?? null;
  if (renews !== null && !deps.certificates.get(renews)) {
    throw new AppError('NOT_FOUND', `There is no certificate #${renews} to renew.`, {
      field: 'renewsCertificateId',
    });
  }
  // RSA key and CSR are made in a low-priority worker (compute/crypto-pool.ts); only the inserts below run here.
  const { privateKey, csrPem } = await generateKeyWithCsr(
    req.key,
    req.subject,
    req.subjectAltNames,
    cryptoPool(),
  );
  // Key, CSR and audit entry in one transaction: all or nothing, and one fsync instead of two.
  return deps.db.transaction(() => {
    const keyId = deps.privateKeys.insert(privateKey);
    const csrId = deps.csrs.insert({
      keyId,
      csrPem,
      subject: req.subject,
      subjectAltNames: req.subjectAltNames,
      renewsCertificateId: renews,
    });
    deps.audit.record(context, {
      action: 'csr.create',
      target: csrId,
      details: {
        commonName: req.subject.commonName,
        subjectAltNames: req.subjectAltNames,
        ...req.key,
        ...(renews !== null ? { renewsCertificateId: renews } : {}),
      },
    });
    return csrId;
  })();
}
