import {
  CountryList,
  Csr,
  CsrCreateBody,
  CsrKeyDownloadBody,
  CsrList,
  csrNameWarnings,
  IdParams,
} from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { subjectDn } from '../../cert/csr.js';
import { countryList } from '../../cert/subject.js';
import { AppError } from '../../errors.js';
import { createCsr } from '../../services/csr-service.js';
import { type CsrRow, csrSummary } from '../../store/csrs.js';
import { errorResponses } from './responses.js';

const SIGNATURE = { rsa: 'sha256WithRSAEncryption', ec: 'ecdsa-with-SHA256' } as const;

function csrDetail(row: CsrRow): Csr {
  const summary = csrSummary(row);
  return {
    ...summary,
    csrPem: row.csr_pem.endsWith('\n') ? row.csr_pem : `${row.csr_pem}\n`,
    subjectDn: subjectDn(summary.subject),
    signatureAlgorithm: SIGNATURE[row.key_type],
    publicKeySha256: row.spki_sha256,
    warnings: csrNameWarnings(summary.commonName, summary.subjectAltNames),
  };
}

const csrs: FastifyPluginAsyncTypebox = async (fastify) => {
  const store = fastify.csrs;
  const load = (id: number): CsrRow => {
    const row = store.get(id);
    if (!row) throw new AppError('NOT_FOUND', `There is no CSR #${id}.`);
    return row;
  };

  fastify.get(
    '/csrs/countries',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['csrs'],
        summary: 'ISO 3166-1 alpha-2 countries',
        response: { 200: CountryList, ...errorResponses() },
      },
    },
    async () => ({ items: countryList() }),
  );

  fastify.post(
    '/csrs',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags: ['csrs'],
        summary: 'Generate a key and a CSR; the key stays on the server, encrypted',
        description:
          'RSA keys are made in a low-priority worker pool, a few at a time. Errors: 400 VALIDATION_ERROR; 404 NOT_FOUND (renewsCertificateId); 503 KEYGEN_BUSY (with Retry-After) | KEYGEN_TIMEOUT | KEYGEN_UNAVAILABLE (try again).',
        body: CsrCreateBody,
        response: { 201: Csr, ...errorResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const id = await createCsr(fastify, request.body, request);
      return reply.status(201).send(csrDetail(load(id)));
    },
  );

  fastify.get(
    '/csrs',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['csrs'],
        summary: 'Every CSR, newest first',
        response: { 200: CsrList, ...errorResponses() },
      },
    },
    async () => ({ items: store.list().map(csrSummary) }),
  );

  fastify.get(
    '/csrs/:id',
    {
      config: { permission: 'inventory:read' },
      schema: { tags: ['csrs'], params: IdParams, response: { 200: Csr, ...errorResponses(400, 404) } },
    },
    async (request) => csrDetail(load(request.params.id)),
  );

  fastify.get(
    '/csrs/:id/csr',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['csrs'],
        summary: 'The CSR as a download (server.csr)',
        params: IdParams,
        response: { 200: Type.String(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const row = load(request.params.id);
      return (
        reply
          .header('content-type', 'application/pkcs10; charset=us-ascii')
          .header('content-disposition', 'attachment; filename="server.csr"')
          // Rows written before buildCsr added it lack the final newline.
          .send(row.csr_pem.endsWith('\n') ? row.csr_pem : `${row.csr_pem}\n`)
      );
    },
  );

  fastify.post(
    '/csrs/:id/key',
    {
      config: { permission: 'keys:export' },
      schema: {
        tags: ['csrs'],
        summary: 'The private key as a download (server.key); asks for the account password again',
        params: IdParams,
        body: CsrKeyDownloadBody,
        response: { 200: Type.String(), ...errorResponses(400, 404, 429) },
      },
    },
    async (request, reply) => {
      const row = load(request.params.id);
      const user = request.user!;
      await fastify.auth.reauthenticate(user, request.body.password, request.ip, request.body.totp);
      const key = fastify.privateKeys.load(row.key_id);
      if (!key) throw new AppError('NOT_FOUND', `The private key of CSR #${row.id} is no longer stored.`);
      const passphrase = request.body.passphrase || undefined;
      const pem = String(
        passphrase
          ? key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
          : key.export({ type: 'pkcs8', format: 'pem' }),
      );
      fastify.audit.record(request, {
        action: 'csr.download_key',
        target: row.id,
        details: { encrypted: !!passphrase },
      });
      return reply
        .header('content-type', 'application/x-pem-file; charset=us-ascii')
        .header('content-disposition', 'attachment; filename="server.key"')
        .header('cache-control', 'no-store')
        .send(pem);
    },
  );
};

export default csrs;
