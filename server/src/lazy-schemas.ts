import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions, RouteOptions } from 'fastify';

type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type Compiler = (routeSchema: RouteSchema) => Compiled;
interface RouteSchema {
  schema: unknown;
  method?: string;
  url?: string;
  httpPart?: string;
  httpStatus?: string;
  contentType?: string;
}

/**
 * Fastify's own compilers (Ajv for requests, fast-json-stringify for answers), run when a route first
 * needs one instead of all of them when the app is built. Compiling all ~620 (request parts, answers per
 * status, HEAD routes included) was most of the start: ~0.5 s of CPU for each app a test builds and for
 * `npm start` before it answered.
 * server.ts compiles the rest in the background once it listens (`compileRemaining`), in short slices
 * between requests, so a running console ends up where eager compilation left it; a schema that does not
 * compile is logged there, and test/lazy-schemas.test.ts compiles every route's schemas in CI.
 *
 * Given its own compilers, Fastify no longer lower-cases a `headers` schema's property names (it leaves a
 * custom compiler's schemas alone): no route declares one; a route that does must write them lower-case.
 */
export class LazySchemas {
  private readonly pending = new Map<() => Compiled, string>();
  private readonly validators = AjvCompiler();
  private readonly serializers = SerializerSelector();
  /**
   * Schemas that failed to compile, by schema object. Ajv caches a schema before it checks it against the
   * meta-schema, so compiling the same object again "succeeds" with the check skipped: once failed, every
   * route using that object (a GET and its HEAD share one) fails the same way, on every request.
   */
  private readonly failedValidators = new WeakMap<object, Error>();
  private readonly failedSerializers = new WeakMap<object, Error>();

  readonly compilersFactory = {
    buildValidator: (externalSchemas: unknown, options: unknown): Compiler => {
      const compile = (this.validators as (e: unknown, o: unknown) => Compiler)(externalSchemas, options);
      return (routeSchema) =>
        this.validator(this.once(() => compile(routeSchema), routeSchema, this.failedValidators));
    },
    buildSerializer: (externalSchemas: unknown, options: unknown): Compiler => {
      const compile = (this.serializers as (e: unknown, o: unknown) => Compiler)(externalSchemas, options);
      return (routeSchema) =>
        this.serializer(this.once(() => compile(routeSchema), routeSchema, this.failedSerializers));
    },
  };

  /** Schemas no request has needed yet. */
  get remaining(): number {
    return this.pending.size;
  }

  /**
   * Compiles every schema still waiting, yielding to the event loop every `sliceMs` so requests are
   * answered in between. Returns the schemas that failed, each with the error (their routes answer 500).
   */
  async compileRemaining(sliceMs = 10): Promise<{ route: string; error: Error }[]> {
    const failed: { route: string; error: Error }[] = [];
    let sliceStart = performance.now();
    for (const [compile, route] of [...this.pending]) {
      try {
        compile();
      } catch (err) {
        failed.push({ route, error: err as Error });
      }
      if (performance.now() - sliceStart >= sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return failed;
  }

  private once(
    make: () => Compiled,
    routeSchema: RouteSchema,
    failures: WeakMap<object, Error>,
  ): () => Compiled {
    const key =
      typeof routeSchema.schema === 'object' && routeSchema.schema !== null ? routeSchema.schema : null;
    let compiled: Compiled | undefined;
    const compile = () => {
      if (compiled) return compiled;
      try {
        const failedBefore = key && failures.get(key);
        if (failedBefore) throw failedBefore;
        compiled = make();
        return compiled;
      } catch (err) {
        if (key) failures.set(key, err as Error);
        throw err;
      } finally {
        this.pending.delete(compile);
      }
    };
    this.pending.set(compile, describe(routeSchema));
    return compile;
  }

  private validator(compile: () => Compiled): Compiled {
    const validate: Compiled = (data, context) => {
      const real = compile();
      const result = real.schemaEnv ? real(data, context) : real(data);
      validate.errors = real.errors;
      return result;
    };
    // Fastify passes the request as Ajv's parent data only to a function that has `schemaEnv`; Ajv needs it
    // to replace a coerced or defaulted root value (a query string turned into its declared types).
    validate.schemaEnv = true;
    return validate;
  }

  private serializer(compile: () => Compiled): Compiled {
    return (data) => compile()(data);
  }
}

function describe({ method, url, httpPart, httpStatus, contentType }: RouteSchema): string {
  const part = httpPart ?? (httpStatus ? `response ${httpStatus}` : 'schema');
  return `${method ?? ''} ${url ?? ''} (${part}${contentType ? ` ${contentType}` : ''})`.trim();
}

export function lazySchemaOptions(schemas: LazySchemas): Pick<FastifyServerOptions, 'schemaController'> {
  return {
    schemaController: {
      compilersFactory: schemas.compilersFactory as NonNullable<
        FastifyServerOptions['schemaController']
      >['compilersFactory'],
    },
  };
}

/** onRoute: refuses `attachValidation`, under which a schema that fails to compile would let the handler run. */
export function refuseAttachValidation(route: RouteOptions): void {
  if (route.attachValidation)
    throw new Error(
      `${String(route.method)} ${route.url}: attachValidation is not allowed here (a route schema that failed to compile would let the handler run unvalidated).`,
    );
}
