import {
  AcmeAccount,
  AcmeAccountCreateBody,
  AcmeAccountList,
  AcmeOrder,
  AcmeOrderAccepted,
  AcmeOrderCreateBody,
  AcmeOrderList,
  IdParams,
  RenewalSettings,
  RenewalSettingsUpdate,
} from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { accountView } from '../../services/acme-accounts.js';
import { orderView, parseOrderBody } from '../../services/acme-orders.js';
import { readRenewalSettings, writeRenewalSettings } from '../../services/renewal-scheduler.js';
import { errorResponses } from './responses.js';

const acme: FastifyPluginAsyncTypebox = async (fastify) => {
  const accounts = fastify.acmeAccountService;
  const orders = fastify.acmeOrderService;

  fastify.post(
    '/acme/accounts',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['acme'],
        summary: 'Register an ACME account (key generated here, EAB HMAC key sealed, neither returned)',
        body: AcmeAccountCreateBody,
        response: { 201: AcmeAccount, ...errorResponses(400, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await accounts.create(request.body, request)),
  );

  fastify.get(
    '/acme/accounts',
    {
      config: { permission: 'settings:read' },
      schema: {
        tags: ['acme'],
        summary: 'ACME accounts',
        response: { 200: AcmeAccountList, ...errorResponses() },
      },
    },
    async () => ({ items: accounts.list() }),
  );

  fastify.get(
    '/acme/accounts/:id',
    {
      config: { permission: 'settings:read' },
      schema: { tags: ['acme'], params: IdParams, response: { 200: AcmeAccount, ...errorResponses(404) } },
    },
    async (request) => accountView(accounts.get(request.params.id)),
  );

  fastify.delete(
    '/acme/accounts/:id',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['acme'],
        summary: 'Forget an ACME account (refused while certificates or orders use it)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      accounts.delete(request.params.id, request);
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/acme/hooks',
    {
      config: { permission: 'settings:read' },
      schema: {
        tags: ['acme'],
        summary: 'DNS-01 hooks declared in CERTDESK_DEPLOY_HOOKS (names only)',
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ name: Type.String() })) }),
          ...errorResponses(),
        },
      },
    },
    async () => ({ items: fastify.dnsHookNames().map((name) => ({ name })) }),
  );

  fastify.post(
    '/acme/orders',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags: ['acme'],
        summary: 'Order a certificate over ACME; poll GET /api/acme/orders/:id while the CA validates',
        description:
          'Key and CSR are made like a CSR\'s. http-01 is answered at /.well-known/acme-challenge/ on this console; dns-01 runs a hook from CERTDESK_DEPLOY_HOOKS with the record name and value as two extra arguments, or with "manual" the order shows `dnsRecords` and waits for POST /api/acme/orders/:id/check. A failure leaves status "invalid" with the CA\'s problem detail in `error`.',
        body: AcmeOrderCreateBody,
        response: { 202: AcmeOrderAccepted, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { names, keySpec } = parseOrderBody(request.body);
      const row = orders.start(
        {
          accountId: request.body.accountId,
          names,
          keySpec,
          challenge: request.body.challenge,
          dnsHook: request.body.dnsHook ?? null,
          renewsCertificateId: null,
          replaces: null,
        },
        request,
      );
      return reply.status(202).send({ id: row.id, status: row.status });
    },
  );

  fastify.get(
    '/acme/orders',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['acme'],
        summary: 'Recent ACME orders',
        response: { 200: AcmeOrderList, ...errorResponses() },
      },
    },
    async () => ({ items: fastify.acmeOrders.list().map(orderView) }),
  );

  fastify.get(
    '/acme/orders/:id',
    {
      config: { permission: 'inventory:read' },
      schema: { tags: ['acme'], params: IdParams, response: { 200: AcmeOrder, ...errorResponses(404) } },
    },
    async (request) => orderView(orders.get(request.params.id)),
  );

  fastify.post(
    '/acme/orders/:id/check',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags: ['acme'],
        summary: 'The TXT records of a manual dns-01 order are set: ask the CA to validate',
        params: IdParams,
        response: { 202: AcmeOrderAccepted, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const row = orders.check(request.params.id);
      fastify.audit.record(request, { action: 'acme.order.check', target: row.id });
      return reply.status(202).send({ id: row.id, status: row.status });
    },
  );

  fastify.post(
    '/certificates/:id/renew-now',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags: ['acme'],
        summary: 'Renew an ACME certificate now; the new version replaces it in place when issued',
        params: IdParams,
        response: { 202: AcmeOrderAccepted, ...errorResponses(404, 409, 422) },
      },
    },
    async (request, reply) => {
      const row = fastify.renewalScheduler.renewNow(request.params.id, request);
      return reply.status(202).send({ id: row.id, status: row.status });
    },
  );

  fastify.get(
    '/settings/renewal',
    {
      config: { permission: 'settings:read' },
      schema: { tags: ['acme'], response: { 200: RenewalSettings, ...errorResponses() } },
    },
    async () => readRenewalSettings(fastify.kv),
  );

  fastify.put(
    '/settings/renewal',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['acme'],
        summary: 'Automatic renewal: on/off, share of the lifetime left when renewing without ARI, use ARI',
        body: RenewalSettingsUpdate,
        response: { 200: RenewalSettings, ...errorResponses(400) },
      },
    },
    async (request) => {
      const before = readRenewalSettings(fastify.kv);
      const after = { ...before, ...request.body };
      writeRenewalSettings(fastify.kv, after);
      fastify.audit.record(request, { action: 'settings.renewal', details: { before, after } });
      return after;
    },
  );
};

export default acme;
