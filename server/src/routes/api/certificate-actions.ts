import { CertificateExportBody, CertificateSummary, IdParams } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { exportAuditDetails, exportStoredCertificate } from '../../services/certificate-export.js';
import type { MoveResult } from '../../services/certificate-lifecycle.js';
import { requirePermission } from './auth-hook.js';
import { errorResponses } from './responses.js';

const tags = ['certificates'];

const MoveAnswer = Type.Object({
  certificate: CertificateSummary,
  movedActive: Type.Boolean(),
  movedBindings: Type.Array(Type.String()),
});

/** Export, promote (replace in place) and restore (roll back). */
const certificateActions: FastifyPluginAsyncTypebox = async (fastify) => {
  const lifecycle = fastify.certificateLifecycle;

  fastify.post(
    '/certificates/:id/export',
    {
      config: { permission: 'certificates:export' },
      schema: {
        tags,
        description:
          'Answers the file. pem: certificate; chain: intermediates; fullchain: certificate + intermediates; der: certificate (binary); ' +
          'key: PKCS#8 private key (AES-256 encrypted with keyPassphrase); pfx: PKCS#12 with certificate, intermediates and key; ' +
          'p7b: PKCS#7 certs-only (DER) with certificate and intermediates. ' +
          'pfx and key need `password` (the account password; 403 REAUTH_FAILED) and are audited.',
        params: IdParams,
        body: CertificateExportBody,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The exported file' }),
          ...errorResponses(400, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const { password, totp, ...opts } = request.body;
      const { row, file, withKey } = await exportStoredCertificate(fastify, request.params.id, {
        ...opts,
        // The key is leaving the server: who asks must prove they are the account holder, now.
        authorizeKey: () => {
          requirePermission(request, 'keys:export');
          return fastify.auth.reauthenticate(request.user!, password, request.ip, totp);
        },
      });
      if (withKey) {
        fastify.audit.record(request, {
          action: 'certificate.export',
          target: row.id,
          details: exportAuditDetails(row, opts),
        });
      }
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );

  const answer = (id: number, moved: MoveResult) => ({
    certificate: fastify.certificateQueries.summary(id)!,
    movedActive: moved.movedActive,
    movedBindings: moved.movedBindings,
  });

  const audit = (request: FastifyRequest, action: string, moved: MoveResult) =>
    fastify.audit.record(request, {
      action,
      target: moved.to,
      details: {
        from: moved.from,
        to: moved.to,
        movedActive: moved.movedActive,
        movedBindings: moved.movedBindings,
      },
    });

  fastify.post(
    '/certificates/:id/promote',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags,
        description:
          'Replace in place: moves the active setting and every SNI binding of the previous version to this certificate in one ' +
          'transaction, marks the previous version superseded and reloads the HTTPS listener.',
        params: IdParams,
        response: { 200: MoveAnswer, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request) => {
      const id = request.params.id;
      const moved = await lifecycle.promote(id);
      audit(request, 'certificate.promote', moved);
      return answer(id, moved);
    },
  );

  fastify.post(
    '/certificates/:id/restore',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags,
        description:
          'One-click rollback of a superseded certificate: the usages of the certificate that replaced it move back to it, and it is no longer superseded.',
        params: IdParams,
        response: { 200: MoveAnswer, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request) => {
      const id = request.params.id;
      const moved = await lifecycle.restore(id);
      audit(request, 'certificate.restore', moved);
      return answer(id, moved);
    },
  );
};

export default certificateActions;
