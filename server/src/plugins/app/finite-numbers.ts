import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';

/** True when a value holds ±Infinity anywhere (bounded depth: request inputs are shallow). Allocates nothing. */
function hasInfinity(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (depth > 4 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasInfinity(value[i], depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && hasInfinity((value as Record<string, unknown>)[key], depth + 1))
      return true;
  }
  return false;
}

/**
 * Ajv coerces "1e400" (query) and 1e400 (JSON) to Infinity and lets it through `integer` and `maximum`;
 * SQLite then fails on it. Refuse such input once, here, after validation.
 */
export default fp(
  async (fastify) => {
    // Synchronous: it runs on every request and nothing in it awaits.
    fastify.addHook('preHandler', (request, _reply, done) => {
      const part = hasInfinity(request.query)
        ? 'query'
        : hasInfinity(request.params)
          ? 'params'
          : hasInfinity(request.body)
            ? 'body'
            : null;
      if (part)
        return done(new AppError('VALIDATION_ERROR', `A number in the request ${part} is out of range.`));
      done();
    });
  },
  { name: 'finite-numbers' },
);
