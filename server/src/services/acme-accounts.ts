import type { AcmeAccount, AcmeAccountCreateBody } from '@certdesk/shared';
import {
  type AcmeClient,
  type AcmeEndpoint,
  acmeClient,
  problemSentence,
  readDirectory,
} from '../acme/client.js';
import { generateKey } from '../cert/keygen.js';
import { cryptoPool } from '../compute/crypto-pool.js';
import { AppError } from '../errors.js';
import type { AcmeAccountRow, AcmeAccountStore } from '../store/acme-accounts.js';
import type { AuditContext, AuditService } from './audit-service.js';

export interface AcmeAccountDeps {
  accounts: AcmeAccountStore;
  audit: AuditService;
  now: () => number;
}

export function accountView(row: AcmeAccountRow): AcmeAccount {
  return {
    id: row.id,
    directoryUrl: row.directory_url,
    email: row.email,
    status: row.status,
    accountUrl: row.account_url,
    eabKid: row.eab_kid,
    hasCaPem: row.ca_pem !== null,
    createdAt: row.created_at,
  };
}

function checkDirectoryUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new AppError('VALIDATION_ERROR', 'The directory URL is not a URL.', { field: 'directoryUrl' });
  }
  // Loopback and private addresses are allowed: an admin types this (an internal CA, a test CA).
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('VALIDATION_ERROR', 'The directory URL must start with https://.', {
      field: 'directoryUrl',
    });
  }
  return url.toString();
}

function checkCaPem(pem: string | undefined): string | null {
  if (!pem?.trim()) return null;
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new AppError('VALIDATION_ERROR', 'The extra CA must be PEM certificates.', { field: 'caPem' });
  }
  return pem.trim();
}

/** ACME accounts: one registration per CA directory (and EAB credentials for commercial CAs). */
export class AcmeAccountService {
  constructor(private readonly deps: AcmeAccountDeps) {}

  async create(body: AcmeAccountCreateBody, context: AuditContext): Promise<AcmeAccount> {
    if (!body.termsOfServiceAgreed) {
      throw new AppError('ACME_TERMS_NOT_AGREED', undefined, { field: 'termsOfServiceAgreed' });
    }
    const email = body.email.trim();
    if (email !== '' && !/^[^\s@]+@[^\s@]+$/.test(email)) {
      throw new AppError('VALIDATION_ERROR', 'The e-mail address is not valid.', { field: 'email' });
    }
    const endpoint: AcmeEndpoint = {
      directoryUrl: checkDirectoryUrl(body.directoryUrl),
      caPem: checkCaPem(body.caPem),
    };
    const eab = body.eab ? { kid: body.eab.kid.trim(), hmacKey: body.eab.hmacKey.trim() } : null;
    try {
      await readDirectory(endpoint);
    } catch (err) {
      throw new AppError(
        'ACME_DIRECTORY_UNREACHABLE',
        `The ACME directory could not be read: ${problemSentence(err)}`,
        {
          field: 'directoryUrl',
        },
      );
    }
    // ECDSA P-256: the account key signs every request; it never leaves the server.
    const { privateKey } = await generateKey({ keyType: 'ec', curve: 'P-256' }, cryptoPool());
    const client = acmeClient(endpoint, {
      accountKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      eab: eab ?? undefined,
    });
    let account: { status?: string };
    try {
      account = await client.createAccount({
        termsOfServiceAgreed: true,
        contact: email ? [`mailto:${email}`] : [],
      });
    } catch (err) {
      throw new AppError('ACME_ACCOUNT_FAILED', `The CA refused the account: ${problemSentence(err)}`);
    }
    const id = this.deps.accounts.insert({
      directoryUrl: endpoint.directoryUrl,
      email,
      accountUrl: client.getAccountUrl(),
      status: account.status ?? 'valid',
      key: privateKey,
      eab,
      caPem: endpoint.caPem,
      createdAt: new Date(this.deps.now()).toISOString(),
    });
    this.deps.audit.record(context, {
      action: 'acme.account.create',
      target: id,
      details: { directoryUrl: endpoint.directoryUrl, email, eabKid: eab?.kid ?? null },
    });
    return accountView(this.get(id));
  }

  get(id: number): AcmeAccountRow {
    const row = this.deps.accounts.get(id);
    if (!row) throw new AppError('ACME_ACCOUNT_NOT_FOUND');
    return row;
  }

  list(): AcmeAccount[] {
    return this.deps.accounts.list().map(accountView);
  }

  delete(id: number, context: AuditContext): void {
    const row = this.get(id);
    if (this.deps.accounts.inUse(id)) throw new AppError('ACME_ACCOUNT_IN_USE');
    this.deps.accounts.delete(id);
    this.deps.audit.record(context, {
      action: 'acme.account.delete',
      target: id,
      details: { directoryUrl: row.directory_url },
    });
  }

  endpoint(id: number): AcmeEndpoint {
    const row = this.get(id);
    return { directoryUrl: row.directory_url, caPem: row.ca_pem };
  }

  /** A client signed with the stored account key (opened only for this client's lifetime). */
  client(id: number): AcmeClient {
    const row = this.get(id);
    const secrets = this.deps.accounts.secrets(id);
    if (!secrets) throw new AppError('ACME_ACCOUNT_NOT_FOUND');
    return acmeClient(
      { directoryUrl: row.directory_url, caPem: row.ca_pem },
      {
        accountKeyPem: secrets.key.export({ type: 'pkcs8', format: 'pem' }) as string,
        accountUrl: row.account_url,
      },
    );
  }
}
