import fp from 'fastify-plugin';
import { markHiddenDeep } from '../../cert/display-text.js';

/**
 * Certificate names, report notes and labels reach the browser and scripts through JSON: every string
 * in every JSON answer (errors included) shows bidi overrides and zero-width characters as visible
 * markers, once, here, instead of in each route.
 */
export default fp(
  async (fastify) => {
    fastify.addHook('preSerialization', async (_request, _reply, payload) => markHiddenDeep(payload));
  },
  { name: 'display-safety' },
);
