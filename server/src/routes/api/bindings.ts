import { Binding, BindingCreateBody, BindingList, IdParams, ServerSettings } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import type { BindingRow } from '../../store/bindings.js';
import type { CertificateRow } from '../../store/certificates.js';
import { certificateCovers, loadServingMaterial } from '../../tls/material.js';
import { normalizeHostName } from '../../tls/settings-change.js';
import { errorResponses } from './responses.js';

const tags = ['settings'];

/** SNI bindings on the HTTPS port, listed the way `netsh http show sslcert` does (host:port → thumbprint). */
const bindings: FastifyPluginAsyncTypebox = async (fastify) => {
  const store = fastify.bindings;
  const manager = fastify.httpsManager;

  function toBinding(row: BindingRow | null, cert: CertificateRow): Binding {
    return {
      id: row?.id ?? 0,
      hostname: row?.hostname ?? null,
      port: manager.ports.https ?? manager.committed().httpsPort,
      address: fastify.config.host,
      certificateId: cert.id,
      thumbprintSha1: cert.thumbprint_sha1,
      commonName: cert.common_name,
      notAfter: cert.not_after,
      isDefault: row === null,
      createdAt: row?.created_at ?? null,
    };
  }

  function list(): Binding[] {
    const out: Binding[] = [];
    const activeId = manager.committed().activeCertificateId;
    const active = activeId === null ? undefined : fastify.certificates.get(activeId);
    if (active) out.push(toBinding(null, active));
    for (const row of store.list()) {
      const cert = fastify.certificates.get(row.certificate_id);
      if (cert) out.push(toBinding(row, cert));
    }
    return out;
  }

  fastify.get(
    '/bindings',
    {
      config: { permission: 'inventory:read' },
      schema: { tags, response: { 200: BindingList, ...errorResponses() } },
    },
    async () => ({ items: list() }),
  );

  fastify.post(
    '/bindings',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags,
        description:
          'Binds a host name to a certificate (SNI). Without `hostname`, changes the default certificate (as PUT /api/settings/server does, 202 when it needs confirmation).',
        body: BindingCreateBody,
        response: { 201: Binding, 202: ServerSettings, ...errorResponses(400, 409, 422) },
      },
    },
    async (request, reply) => {
      const { certificateId } = request.body;
      if (request.body.hostname === undefined) {
        const { status } = await manager.update({ activeCertificateId: certificateId }, request);
        if (status === 202) return reply.status(202).send(manager.view(request));
        const row = fastify.certificates.get(certificateId)!;
        return reply.status(201).send(toBinding(null, row));
      }
      const hostname = normalizeHostName(request.body.hostname, { wildcard: true, field: 'hostname' });
      const { row, x509 } = loadServingMaterial(fastify, certificateId);
      if (!certificateCovers(x509, hostname)) {
        throw new AppError(
          'CERTIFICATE_NAME_MISMATCH',
          `The certificate does not cover ${hostname}; clients would refuse it.`,
          {
            field: 'hostname',
          },
        );
      }
      if (store.findByHostname(hostname)) {
        throw new AppError('BINDING_EXISTS', `${hostname} is already bound. Delete that binding first.`, {
          field: 'hostname',
        });
      }
      const id = store.insert(hostname, certificateId);
      try {
        await manager.reload();
      } catch (err) {
        store.delete(id);
        throw err;
      }
      fastify.audit.record(request, {
        action: 'binding.create',
        target: id,
        details: { hostname, certificateId },
      });
      return reply.status(201).send(toBinding(store.get(id)!, row));
    },
  );

  fastify.delete(
    '/bindings/:id',
    {
      config: { permission: 'inventory:write' },
      schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses(400, 404) } },
    },
    async (request, reply) => {
      const row = store.get(request.params.id);
      if (!row) throw new AppError('NOT_FOUND', 'There is no binding with this id.');
      store.delete(row.id);
      await manager.reload().catch((err) => request.log.warn({ err }, 'reload after binding delete failed'));
      fastify.audit.record(request, {
        action: 'binding.delete',
        target: row.id,
        details: { hostname: row.hostname },
      });
      return reply.status(204).send(null);
    },
  );
};

export default bindings;
