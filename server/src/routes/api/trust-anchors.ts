import { X509Certificate } from 'node:crypto';
import { IdParams, TrustAnchorCreated, TrustAnchorList } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { detectFile } from '../../cert/detect.js';
import { commonNameOf } from '../../cert/identity.js';
import { mozillaRootCount, vetTrustAnchor } from '../../cert/trust-store.js';
import { certInfo, certificateValidity } from '../../cert/x509-info.js';
import { cryptoPool } from '../../compute/crypto-pool.js';
import { AppError } from '../../errors.js';
import { readMultipartForm } from './multipart-form.js';
import { errorResponses } from './responses.js';

function selfSigned(der: Buffer): boolean {
  try {
    return certInfo(der, 'trust anchor').selfSigned;
  } catch {
    return false;
  }
}

/** Enterprise roots added to Node's bundled Mozilla roots (API.md "Trust anchors"). */
const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const anchors = fastify.trustAnchors;
  fastify.get(
    '/trust-anchors',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['certificates'],
        summary: 'Enterprise trust anchors',
        response: { 200: TrustAnchorList, ...errorResponses() },
      },
    },
    async () => {
      return {
        mozillaRootCount: mozillaRootCount(),
        items: anchors.list().map((r) => {
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
      config: { permission: 'inventory:write' },
      schema: {
        tags: ['certificates'],
        summary: 'Add an enterprise root (multipart field "file", PEM or DER)',
        description:
          'The certificate must be a CA certificate (basicConstraints CA:TRUE) usable as an anchor. A CA certificate that is not self-signed (an intermediate) is refused with 422 TRUST_ANCHOR_NOT_ROOT unless the field (or query parameter) allowIntermediate=true is sent; it is then added with a `warning`, and chains built through it still send it to clients. 1 MiB per file.',
        consumes: ['multipart/form-data'],
        response: { 201: TrustAnchorCreated, ...errorResponses(400, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const missingFile = () =>
        new AppError('VALIDATION_ERROR', 'Upload the root certificate in the field "file".', {
          field: 'file',
        });
      let allowIntermediate = (request.query as { allowIntermediate?: string }).allowIntermediate === 'true';
      // The first file only, other fields ignored: what this route has always read. allowIntermediate
      // counts when sent before the file (or as a query parameter).
      const [file] = await readMultipartForm(request, {
        notMultipart: 'Send the certificate as multipart/form-data (field "file").',
        fileFields: { file: { role: 'file', unnamed: 'upload' } },
        unknownFileField: missingFile,
        fields: {
          allowIntermediate: (value) => {
            allowIntermediate = value === 'true';
          },
        },
        ignoreOtherFields: true,
        firstFileOnly: true,
      });
      if (!file) throw missingFile();
      const { name } = file;
      const detected = await detectFile(file, '', cryptoPool());
      const cert = detected.certs[0]?.info;
      if (!cert || detected.certs.length !== 1 || detected.keys.length) {
        throw new AppError(
          'NOT_A_SINGLE_CERTIFICATE',
          `${name}: upload exactly one root certificate (PEM or DER), without keys.`,
        );
      }
      const { warning } = vetTrustAnchor(cert, name, allowIntermediate);
      const subject = cert.subject.replace(/\n/g, ', ');
      const existingId = anchors.idByFingerprint(cert.fingerprint);
      if (existingId !== undefined)
        throw new AppError('TRUST_ANCHOR_EXISTS', 'This root is already a trust anchor.', {
          existingId,
        });
      const id = anchors.insert(subject, cert.fingerprint, cert.der);
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
      config: { permission: 'inventory:write' },
      schema: {
        tags: ['certificates'],
        summary: 'Remove an enterprise trust anchor',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const row = anchors.get(request.params.id);
      if (!row) throw new AppError('NOT_FOUND', `There is no trust anchor #${request.params.id}.`);
      anchors.delete(request.params.id);
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
