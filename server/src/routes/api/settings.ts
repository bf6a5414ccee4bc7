import { ProbeResult, ServerSettings, ServerSettingsFields, ServerSettingsUpdate } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../errors.js';
import { errorResponses } from './responses.js';
import { secureSessionsAfterHttps } from './session-cookie.js';

const tags = ['settings'];

/** Server Settings and HTTPS mode (API.md "Server settings and HTTPS mode"); the logic lives in HttpsManager. */
const settings: FastifyPluginAsyncTypebox = async (fastify) => {
  const manager = fastify.httpsManager;

  fastify.get(
    '/settings/server',
    {
      config: { permission: 'settings:read' },
      schema: { tags, response: { 200: ServerSettings, ...errorResponses() } },
    },
    async (request) => manager.view(request),
  );

  fastify.put(
    '/settings/server',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        description:
          'Changes that could lock the admin out (enabling HTTPS, a port, the certificate) answer 202 with `pendingChange`: confirm over the new listener within the window or they revert.',
        body: ServerSettingsUpdate,
        response: { 200: ServerSettings, 202: ServerSettings, ...errorResponses(400, 409, 422) },
      },
    },
    async (request, reply) => {
      const { status } = await manager.update(pickSettingsFields(request.body), request);
      return reply.status(status).send(manager.view(request));
    },
  );

  fastify.post(
    '/settings/server/confirm',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        description:
          'Commits the pending change. Must arrive over the listener the change introduced (409 CONFIRM_WRONG_LISTENER otherwise). Confirming a switch to HTTPS ends every session signed in over plain HTTP; the confirming session continues under a new Secure cookie.',
        response: { 200: ServerSettings, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const switchingToHttps = !manager.committed().httpsEnabled;
      await manager.confirm(request);
      if (switchingToHttps && manager.committed().httpsEnabled) secureSessionsAfterHttps(request, reply);
      return manager.view(request);
    },
  );

  fastify.delete(
    '/settings/server/pending',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        description: 'Undoes the pending change now.',
        response: { 200: ServerSettings, ...errorResponses(409) },
      },
    },
    async (request) => {
      const undone = await manager.cancel(request, 'The change was cancelled by the administrator.');
      if (!undone) throw new AppError('NO_PENDING_CHANGE', 'There is no change waiting for confirmation.');
      return manager.view(request);
    },
  );

  fastify.post(
    '/settings/server/probe',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        description: 'A real TLS handshake to this server for each server name, as clients make it.',
        response: { 200: ProbeResult, ...errorResponses(409) },
      },
    },
    async () => {
      if (manager.ports.https === null) {
        throw new AppError('HTTPS_NOT_RUNNING', 'HTTPS is off, so there is nothing to probe.');
      }
      return manager.probe();
    },
  );
};

export default settings;

/** Only the writable fields; anything else a client echoes back from GET is ignored. */
function pickSettingsFields(body: ServerSettingsUpdate): ServerSettingsUpdate {
  const writable = Object.keys(ServerSettingsFields.properties) as (keyof ServerSettingsUpdate)[];
  return Object.fromEntries(
    writable.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]),
  ) as ServerSettingsUpdate;
}
