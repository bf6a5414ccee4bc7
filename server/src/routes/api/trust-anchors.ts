import { X509Certificate } from 'node:crypto';
import { IdParams, TrustAnchorCreated, TrustAnchorList } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { detectFile } from '../../cert/detect.js';
import { mozillaRootCount } from '../../cert/trust-store.js';
import { nowIso } from '../../db/open.js';
import { AppError } from '../../errors.js';
import { errorResponses } from './responses.js';

interface AnchorRow {
  id: number;
  subject: string;
  fingerprint_sha256: string;
  cert_der: Buffer;
  created_at: string;
}

/** Enterprise roots added to Node's bundled Mozilla roots (API.md "Trust anchors"). */
const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/trust-anchors',
    {
      schema: {
        tags: ['certificates'],
        summary: 'Enterprise trust anchors',
        response: { 200: TrustAnchorList, ...errorResponses() },
      },
    },
    async () => {
      const rows = fastify.db.prepare('SELECT * FROM trust_anchors ORDER BY id').all() as AnchorRow[];
      return {
        mozillaRootCount: mozillaRootCount(),
        items: rows.map((r) => {
          const x = new X509Certificate(r.cert_der);
          const cn = x.subject.split('\n').find((l) => l.startsWith('CN='));
          return {
            id: r.id,
            subject: r.subject,
            commonName: cn ? cn.slice(3) : null,
            fingerprintSha256: r.fingerprint_sha256,
            notBefore: new Date(x.validFrom).toISOString(),
            notAfter: new Date(x.validTo).toISOString(),
            createdAt: r.created_at,
          };
        }),
      };
    },
  );

  fastify.post(
    '/trust-anchors',
    {
      schema: {
        tags: ['certificates'],
        summary: 'Add an enterprise root (multipart field "file", PEM or DER)',
        description: 'The certificate must be a CA certificate (basicConstraints CA:TRUE). 1 MiB per file.',
        consumes: ['multipart/form-data'],
        response: { 201: TrustAnchorCreated, ...errorResponses(400, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Send the certificate as multipart/form-data (field "file").',
        );
      const part = await request.file();
      if (part?.fieldname !== 'file')
        throw new AppError('VALIDATION_ERROR', 'Upload the root certificate in the field "file".', {
          field: 'file',
        });
      const data = await part.toBuffer();
      const name = (part.filename || 'upload').replace(/[^\x20-\x7e]/g, '_').slice(0, 100);
      const detected = await detectFile({ name, data, role: 'file' }, '');
      const cert = detected.certs[0]?.info;
      if (!cert || detected.certs.length !== 1 || detected.keys.length) {
        throw new AppError(
          'NOT_A_SINGLE_CERTIFICATE',
          `${name}: upload exactly one root certificate (PEM or DER), without keys.`,
        );
      }
      if (!cert.isCa) {
        throw new AppError(
          'NOT_A_CA_CERTIFICATE',
          `${name}: "${cert.commonName ?? cert.subject}" is not a CA certificate (basicConstraints CA:TRUE is missing), so it cannot be a trust anchor.`,
        );
      }
      const subject = cert.subject.replace(/\n/g, ', ');
      const existing = fastify.db
        .prepare('SELECT id FROM trust_anchors WHERE fingerprint_sha256 = ?')
        .get(cert.fingerprint) as { id: number } | undefined;
      if (existing)
        throw new AppError('TRUST_ANCHOR_EXISTS', 'This root is already a trust anchor.', {
          existingId: existing.id,
        });
      const r = fastify.db
        .prepare(
          'INSERT INTO trust_anchors (subject, fingerprint_sha256, cert_der, created_at) VALUES (?, ?, ?, ?)',
        )
        .run(subject, cert.fingerprint, cert.der, nowIso());
      const id = Number(r.lastInsertRowid);
      fastify.audit.record(request, {
        action: 'trust-anchor.create',
        target: id,
        details: { subject, fingerprintSha256: cert.fingerprint, selfSigned: cert.selfSigned },
      });
      return reply.status(201).send({ id, subject, fingerprintSha256: cert.fingerprint });
    },
  );

  fastify.delete(
    '/trust-anchors/:id',
    {
      schema: {
        tags: ['certificates'],
        summary: 'Remove an enterprise trust anchor',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const row = fastify.db
        .prepare('SELECT subject, fingerprint_sha256 FROM trust_anchors WHERE id = ?')
        .get(request.params.id) as { subject: string; fingerprint_sha256: string } | undefined;
      if (!row) throw new AppError('NOT_FOUND', `There is no trust anchor #${request.params.id}.`);
      fastify.db.prepare('DELETE FROM trust_anchors WHERE id = ?').run(request.params.id);
      fastify.audit.record(request, {
        action: 'trust-anchor.delete',
        target: request.params.id,
        details: { subject: row.subject, fingerprintSha256: row.fingerprint_sha256 },
      });
      return reply.status(204).send(null);
    },
  );
};

export default routes;
