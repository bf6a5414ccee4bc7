import type { preHandlerHookHandler, RouteOptions } from 'fastify';
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

const COMBINATORS = ['anyOf', 'oneOf', 'allOf'] as const;
/** Keywords the walk does not follow: a schema using any of them may admit values it cannot see. */
const UNWALKED = [
  'not',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'dependencies',
  'unevaluatedProperties',
  'unevaluatedItems',
  'additionalItems',
] as const;

/**
 * Whether a value that passed this JSON schema can be a number or hold one. Anything the walk cannot
 * prove (a $ref, `not`, an untyped schema, too deep) counts as yes. `open`: whether properties a schema
 * does not declare get through with their parsed values (a JSON body: yes; a query string or path
 * parameters: only as strings, since Ajv coerces declared properties alone).
 */
export function mayHoldNumber(schema: unknown, open: boolean, depth = 0): boolean {
  if (schema === false) return false;
  if (typeof schema !== 'object' || schema === null || depth > 32) return true;
  const s = schema as Record<string, unknown>;
  // A fixed value is one the schema wrote, so finite.
  if ('const' in s || 'enum' in s) return false;
  if (UNWALKED.some((key) => key in s)) return true;
  const branches = COMBINATORS.flatMap((key) => (Array.isArray(s[key]) ? (s[key] as unknown[]) : []));
  if (branches.some((branch) => mayHoldNumber(branch, open, depth + 1))) return true;
  if (s.type === undefined) return branches.length === 0;
  const types = new Set([s.type].flat());
  if (types.has('number') || types.has('integer')) return true;
  if (types.has('object')) {
    const declared = [
      ...Object.values((s.properties as object | undefined) ?? {}),
      ...Object.values((s.patternProperties as object | undefined) ?? {}),
    ];
    if (declared.some((property) => mayHoldNumber(property, open, depth + 1))) return true;
    const extra = s.additionalProperties;
    if (typeof extra === 'object' && extra !== null) {
      if (mayHoldNumber(extra, open, depth + 1)) return true;
    } else if (open && extra !== false) return true;
  }
  if (types.has('array')) {
    // A draft-07 tuple (`items` as a list) leaves the items past the list unchecked.
    if (Array.isArray(s.items)) return true;
    const items = [s.items, s.prefixItems].flat().filter((item) => item !== undefined);
    if (items.length === 0 || items.some((item) => mayHoldNumber(item, open, depth + 1))) return true;
  }
  return false;
}

const WITHOUT_BODY = new Set(['GET', 'HEAD']);

/** Whether a request to this route can carry ±Infinity past validation: the check runs only where it can. */
export function needsFiniteCheck(route: Pick<RouteOptions, 'method' | 'schema'>): boolean {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const methods = [route.method].flat();
  const hasBody = methods.some((method) => !WITHOUT_BODY.has(String(method).toUpperCase()));
  // Without a body schema JSON.parse still turns 1e400 into Infinity.
  if (hasBody && (schema.body === undefined || mayHoldNumber(schema.body, true))) return true;
  const query = schema.querystring ?? schema.query;
  if (query !== undefined && mayHoldNumber(query, false)) return true;
  return schema.params !== undefined && mayHoldNumber(schema.params, false);
}

const refuseInfinity: preHandlerHookHandler = (request, _reply, done) => {
  const part = hasInfinity(request.query)
    ? 'query'
    : hasInfinity(request.params)
      ? 'params'
      : hasInfinity(request.body)
        ? 'body'
        : null;
  if (part) return done(new AppError('VALIDATION_ERROR', `A number in the request ${part} is out of range.`));
  done();
};

/**
 * Ajv coerces "1e400" (query) and 1e400 (JSON) to Infinity and lets it through `integer` and `maximum`;
 * SQLite then fails on it. Refused once, here, after validation, on the routes whose input can hold a
 * number at all: a route-level hook, so the rest (health, most reads) run no preHandler (issue 15).
 */
export default fp(
  async (fastify) => {
    fastify.addHook('onRoute', (route) => {
      if (!needsFiniteCheck(route)) return;
      // Synchronous: nothing in it awaits.
      route.preHandler = [refuseInfinity, ...[route.preHandler ?? []].flat()];
    });
  },
  { name: 'finite-numbers' },
);
