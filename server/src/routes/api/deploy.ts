import { DeployConfig, DeployHookList, DeploymentHistoryQuery, DeploymentList } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from './responses.js';

const tags = ['deployment'];

const HOW_TO_CHANGE =
  'These come from the server configuration, not from this console: set CERTDESK_DEPLOY_ROOTS (directories separated by ":"), ' +
  'CERTDESK_DEPLOY_HOOKS (path of a JSON file { "<name>": { "command": ["/usr/sbin/nginx", "-s", "reload"], "timeoutSeconds": 30 } }) ' +
  'and CERTDESK_DRIFT_CHECK_MINUTES in the environment of the certdesk service, then restart it.';

/** The server-side bounds of deployment (read only) and the history of deployments. */
const deploy: FastifyPluginAsyncTypebox = async (fastify) => {
  const settings = fastify.config.deploy;

  fastify.get(
    '/deploy/hooks',
    {
      config: { permission: 'targets:read' },
      schema: { tags, response: { 200: DeployHookList, ...errorResponses() } },
    },
    async () => ({ items: [...settings.hooks.keys()].map((name) => ({ name })) }),
  );

  fastify.get(
    '/deploy/config',
    {
      config: { permission: 'targets:read' },
      schema: {
        tags,
        description:
          'Where local targets may write, which hooks they may run, how often drift is checked; read only.',
        response: { 200: DeployConfig, ...errorResponses() },
      },
    },
    async () => ({
      localEnabled: settings.roots.length > 0,
      roots: settings.roots,
      hooks: [...settings.hooks.values()].map((h) => ({
        name: h.name,
        command: h.command,
        timeoutSeconds: h.timeoutSeconds,
      })),
      sshAvailable: fastify.deploy.sshAvailable,
      driftCheckMinutes: settings.driftCheckMinutes,
      howToChange: HOW_TO_CHANGE,
    }),
  );

  fastify.get(
    '/deploy/history',
    {
      config: { permission: 'targets:read' },
      schema: {
        tags,
        description: 'Deployments, newest first; of one target with ?targetId=.',
        querystring: DeploymentHistoryQuery,
        response: { 200: DeploymentList, ...errorResponses(400, 404) },
      },
    },
    async (request) => ({ items: fastify.deploy.history(request.query.targetId, request.query.limit ?? 50) }),
  );
};

export default deploy;
