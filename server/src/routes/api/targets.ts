import {
  type DeployContent,
  DeployResult,
  IdParams,
  Target,
  TargetCreateBody,
  TargetList,
  TargetUpdateBody,
} from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { KEY_CONTENTS } from '../../services/deploy-content.js';
import { requirePermission } from './auth-hook.js';
import { errorResponses } from './responses.js';

const tags = ['deployment'];

/**
 * A target whose files carry the private key (key, cert+key, fullchain+key, PFX) sends the key wherever its
 * host, paths and owner say: choosing those is exporting the key, so creating or changing such a target
 * needs `keys:export` as a download does (an operator may still deploy one an administrator set up).
 */
function requireKeyExportFor(
  request: FastifyRequest,
  ...fileLists: (readonly { content: DeployContent }[] | undefined)[]
) {
  if (fileLists.some((files) => files?.some((f) => KEY_CONTENTS.has(f.content))))
    requirePermission(request, 'keys:export');
}

/** Deployment targets (API.md "Deployment targets"): CRUD, deploy now, re-check now. */
const targets: FastifyPluginAsyncTypebox = async (fastify) => {
  const service = fastify.deploy;

  fastify.get(
    '/targets',
    {
      config: { permission: 'targets:read' },
      schema: { tags, response: { 200: TargetList, ...errorResponses() } },
    },
    async () => ({ items: service.list() }),
  );

  fastify.post(
    '/targets',
    {
      config: { permission: 'targets:write' },
      schema: {
        tags,
        description:
          'Files that carry the private key (key, cert+key, fullchain+key, pfx) need the keys:export permission (403 FORBIDDEN). ' +
          'Local paths must lie under CERTDESK_DEPLOY_ROOTS (422 PATH_NOT_ALLOWED; DEPLOY_DISABLED when unset); ' +
          '`hook` names one of CERTDESK_DEPLOY_HOOKS (422 UNKNOWN_HOOK). The SSH private key and the PFX password ' +
          'are sealed at rest and never returned.',
        body: TargetCreateBody,
        response: { 201: Target, ...errorResponses(400, 409, 422) },
      },
    },
    async (request, reply) => {
      requireKeyExportFor(request, request.body.files);
      return reply.status(201).send(service.create(request.body, request));
    },
  );

  fastify.get(
    '/targets/:id',
    {
      config: { permission: 'targets:read' },
      schema: { tags, params: IdParams, response: { 200: Target, ...errorResponses(400, 404) } },
    },
    async (request) => service.get(request.params.id),
  );

  fastify.patch(
    '/targets/:id',
    {
      config: { permission: 'targets:write' },
      schema: {
        tags,
        description:
          'Any subset of the create fields; a missing SSH key or PFX password keeps the stored one. ' +
          'Changing a target whose old or new files carry the private key needs keys:export (403 FORBIDDEN).',
        params: IdParams,
        body: TargetUpdateBody,
        response: { 200: Target, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request) => {
      requireKeyExportFor(request, request.body.files, service.get(request.params.id).files);
      return service.update(request.params.id, request.body, request);
    },
  );

  fastify.delete(
    '/targets/:id',
    {
      config: { permission: 'targets:write' },
      schema: {
        tags,
        description: 'Forgets the target; the files it wrote stay where they are.',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      service.delete(request.params.id, request);
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/targets/:id/deploy',
    {
      config: { permission: 'targets:write' },
      schema: {
        tags,
        description:
          'Writes every file (temporary name, fsync, rename; previous kept as <path>.certdesk-previous), runs the hook, ' +
          'checks the served certificate by a TLS handshake. Any failure puts the previous files back and runs the hook ' +
          'again: 422 DEPLOY_FAILED with status "rolled-back", step, message, hookOutputTail and probe. ' +
          '409 DEPLOY_IN_PROGRESS while another deployment of this target runs.',
        params: IdParams,
        response: { 200: DeployResult, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request) => service.deploy(request.params.id, request),
  );

  fastify.post(
    '/targets/:id/check',
    {
      config: { permission: 'targets:write' },
      schema: {
        tags,
        description:
          'Re-checks the verify address now: drift is true when the service serves another certificate than the one ' +
          'deployed, an expired one, or nothing.',
        params: IdParams,
        response: { 200: Target, ...errorResponses(400, 404) },
      },
    },
    async (request) => service.check(request.params.id, request),
  );

  fastify.get(
    '/certificates/:id/targets',
    {
      config: { permission: 'targets:read' },
      schema: {
        tags,
        description: 'The targets this certificate is delivered to, each with its last deployment.',
        params: IdParams,
        response: { 200: TargetList, ...errorResponses(400, 404) },
      },
    },
    async (request) => ({ items: service.ofCertificate(request.params.id) }),
  );
};

export default targets;
