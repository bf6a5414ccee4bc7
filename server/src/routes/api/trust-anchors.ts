import { X509Certificate } from 'node:crypto';
import { IdParams, TrustAnchorCreated, TrustAnchorList } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { detectFile } from '../../cert/detect.js';
import { commonNameOf } from '../../cert/identity.js';
import { mozillaRootCount } from '../../cert/trust-store.js';
import { AppError } from '../../errors.js';
import { readMultipartForm } from './multipart-form.js';
import { errorResponses } from './responses.js';

/** Enterprise roots added to Node's bundled Mozilla roots (API.md "Trust anchors"). */
const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const anchors = fastify.trustAnchors;
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
      return {
        mozillaRootCount: mozillaRootCount(),
        items: anchors.list().map((r) => {
          const x = new X509Certificate(r.cert_der);
          return {
            id: r.id,
            subject: r.subject,
            commonName: commonNameOf(x.subject),
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
        response: { 201: TrustAnchorCreated, ...errorResponses(400, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const missingFile = () =>
        new AppError('VALIDATION_ERROR', 'Upload the root certificate in the field "file".', {
          field: 'file',
        });
      // The first file only, other fields ignored: what this route has always read.
      const [file] = await readMultipartForm(request, {
        notMultipart: 'Send the certificate as multipart/form-data (field "file").',
        fileFields: { file: { role: 'file', unnamed: 'upload' } },
        unknownFileField: missingFile,
        ignoreOtherFields: true,
        firstFileOnly: true,
      });
      if (!file) throw missingFile();
      const { name } = file;
      const detected = await detectFile(file, '');
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
