import { X509Certificate } from 'node:crypto';
import { IdParams, TrustAnchorCreated, TrustAnchorList } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { detectFile } from '../../cert/detect.js';
import { commonNameOf } from '../../cert/identity.js';
import { mozillaRootCount, vetTrustAnchor } from '../../cert/trust-store.js';
import { certInfo, certificateValidity } from '../../cert/x509-info.js';
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

function selfSigned(der: Buffer): boolean {
  try {
    return certInfo(der, 'trust anchor').selfSigned;
  } catch {
    return false;
  }
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
          const { notBefore, notAfter } = certificateValidity(x);
          return {
            id: r.id,
            subject: r.subject,
            commonName: commonNameOf(x.subject),
            fingerprintSha256: r.fingerprint_sha256,
            notBefore: notBefore.toISOString(),
            notAfter: notAfter.toISOString(),
            createdAt: r.created_at,
            selfSigned: selfSigned(r.cert_der),
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
        description:
          'The certificate must be a CA certificate (basicConstraints CA:TRUE) usable as an anchor. A CA certificate that is not self-signed (an intermediate) is refused with 422 TRUST_ANCHOR_NOT_ROOT unless the field (or query parameter) allowIntermediate=true is sent; it is then added with a `warning`, and chains built through it still send it to clients. 1 MiB per file.',
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
      let data: Buffer | null = null;
      let filename = 'upload';
      let allowIntermediate = (request.query as { allowIntermediate?: string }).allowIntermediate === 'true';
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          const bytes = await part.toBuffer();
          if (part.fieldname === 'file' && data === null) {
            data = bytes;
            filename = part.filename || filename;
          }
        } else if (part.fieldname === 'allowIntermediate') {
          allowIntermediate = String(part.value) === 'true';
        }
      }
      if (data === null)
        throw new AppError('VALIDATION_ERROR', 'Upload the root certificate in the field "file".', {
          field: 'file',
        });
      const name = filename.replace(/[^\x20-\x7e]/g, '_').slice(0, 100);
      const detected = await detectFile({ name, data, role: 'file' }, '');
      const cert = detected.certs[0]?.info;
      if (!cert || detected.certs.length !== 1 || detected.keys.length) {
        throw new AppError(
          'NOT_A_SINGLE_CERTIFICATE',
          `${name}: upload exactly one root certificate (PEM or DER), without keys.`,
          { status: 422 },
        );
      }
      const { warning } = vetTrustAnchor(cert, name, allowIntermediate);
      const subject = cert.subject.replace(/\n/g, ', ');
      const existing = fastify.db
        .prepare('SELECT id FROM trust_anchors WHERE fingerprint_sha256 = ?')
        .get(cert.fingerprint) as { id: number } | undefined;
      if (existing)
        throw new AppError('TRUST_ANCHOR_EXISTS', 'This root is already a trust anchor.', {
          status: 409,
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
      return reply.status(201).send({
        id,
        subject,
        fingerprintSha256: cert.fingerprint,
        selfSigned: cert.selfSigned,
        ...(warning ? { warning } : {}),
      });
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
