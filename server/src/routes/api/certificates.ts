import {
  CertificateDetail,
  CertificateList,
  CertificateListQuery,
  CertificatePatchBody,
  CertificateSummary,
  IdParams,
} from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { certificateDetail } from '../../services/certificate-detail.js';
import certificateActions from './certificate-actions.js';
import { errorResponses } from './responses.js';

const tags = ['certificates'];

/** Inventory (API.md "Certificates"): list, detail, delete; export/promote/restore in certificate-actions.ts. */
const certificates: FastifyPluginAsyncTypebox = async (fastify) => {
  const queries = fastify.certificateQueries;
  const lifecycle = fastify.certificateLifecycle;

  fastify.get(
    '/certificates',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags,
        description:
          'Search (host names, label and issuer from the start of any word, a host also finding the wildcard name that covers it; serial, SHA-1 thumbprint or SHA-256 fingerprint prefix; a number also matches the id), filter by status, sort and page. ' +
          'Status precedence: active > superseded > expired > pending_key > available; `expired` is true for every expired certificate, active or not.',
        querystring: CertificateListQuery,
        response: { 200: CertificateList, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { q, status, sort, order, limit, offset } = request.query;
      return queries.list({ q, status, sort, order, limit, offset });
    },
  );

  fastify.get(
    '/certificates/:id',
    {
      config: { permission: 'inventory:read' },
      schema: { tags, params: IdParams, response: { 200: CertificateDetail, ...errorResponses(400, 404) } },
    },
    async (request) =>
      certificateDetail(
        {
          certificates: fastify.certificates,
          queries,
          lifecycle,
          acmeCertificates: fastify.acmeCertificates,
        },
        request.params.id,
      ),
  );

  fastify.patch(
    '/certificates/:id',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags,
        description:
          'Renames the certificate: `name` is its display name in the inventory, exports and the audit log; "" or null clears it (the common name is shown). Audited as certificate.rename.',
        params: IdParams,
        body: CertificatePatchBody,
        response: { 200: CertificateSummary, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const id = request.params.id;
      const renamed = lifecycle.rename(id, request.body.name);
      fastify.audit.record(request, { action: 'certificate.rename', target: id, details: renamed });
      return queries.summary(id)!;
    },
  );

  fastify.delete(
    '/certificates/:id',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags,
        description:
          'Deletes a certificate nothing uses (409 CERTIFICATE_IN_USE when active, bound, or the target of a pending HTTPS change). ' +
          'Its private key is deleted too unless another certificate or a CSR still references it.',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const { keyDeleted, row } = lifecycle.delete(request.params.id);
      fastify.audit.record(request, {
        action: 'certificate.delete',
        target: request.params.id,
        details: { commonName: row.common_name, thumbprintSha1: row.thumbprint_sha1, keyDeleted },
      });
      return reply.status(204).send(null);
    },
  );

  await fastify.register(certificateActions);
};

export default certificates;
