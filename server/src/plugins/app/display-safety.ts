import fp from 'fastify-plugin';
import { markHiddenDeep } from '../../cert/display-text.js';

/**
 * Certificate names, report notes and labels reach the browser and scripts through JSON: every string
 * in every JSON answer (errors included) shows bidi overrides and zero-width characters as visible
 * markers, once, here, instead of in each route.
 */
export default fp(
  async (fastify) => {
    // Synchronous: it runs on every JSON answer and nothing in it awaits (an async hook costs a promise
    // and a microtask per request).
    fastify.addHook('preSerialization', (_request, _reply, payload, done) =>
      done(null, markHiddenDeep(payload)),
    );
  },
  { name: 'display-safety' },
);
