import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ERROR_CODES,
  ERRORS,
  type ErrorCode,
  type ErrorDefinition,
  errorStatus,
  isErrorCode,
} from '@certdesk/shared/errors';
import { CertError } from '../src/cert/errors.js';
import { AppError } from '../src/errors.js';
import { createTestApp, login } from './support/app.js';

/**
 * The error registry (shared/src/errors.ts) is the only place a code gets its status and default sentence.
 * The compiler already refuses an undeclared code or a `status` at a throw site; these tests keep the
 * registry itself sound and check what the compiler cannot see (a cast, the OpenAPI document).
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entries = Object.entries(ERRORS) as Array<[ErrorCode, ErrorDefinition]>;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(e.name) ? [file] : [];
  });
}

describe('error registry', () => {
  test('every code has a 4xx/5xx status and a sentence', () => {
    assert.ok(entries.length > 50, 'the registry holds the codes');
    for (const [code, def] of entries) {
      assert.match(code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, code);
      assert.ok(
        Number.isInteger(def.status) && def.status >= 400 && def.status <= 599,
        `${code}: ${def.status}`,
      );
      assert.match(
        def.message,
        /^[A-Z].{10,}[.!]$/s,
        `${code}: a sentence, capitalised, ending with a full stop`,
      );
      if (def.requestStatus !== undefined) {
        assert.ok(def.requestStatus >= 400 && def.requestStatus <= 499, `${code}: requestStatus`);
        assert.notEqual(def.requestStatus, def.status, `${code}: requestStatus differs from status`);
      }
    }
  });

  test('errorStatus answers the status, and requestStatus only for a fault in the request', () => {
    assert.equal(errorStatus('CERTIFICATE_NOT_FOUND'), 404);
    assert.equal(errorStatus('CERTIFICATE_NOT_FOUND', true), 422);
    assert.equal(errorStatus('KEY_MISMATCH'), 409);
    assert.equal(errorStatus('KEY_MISMATCH', true), 422);
    // A code without a request-side status keeps its one status.
    assert.equal(errorStatus('WRONG_PASSWORD', true), 422);
    assert.equal(errorStatus('NOT_FOUND', true), 404);
  });

  test('ERROR_CODES names every code as itself; isErrorCode knows exactly the declared codes', () => {
    assert.deepEqual(Object.keys(ERROR_CODES).sort(), Object.keys(ERRORS).sort());
    for (const [key, value] of Object.entries(ERROR_CODES)) assert.equal(key, value);
    assert.ok(isErrorCode('WRONG_PASSWORD'));
    assert.ok(!isErrorCode('WRONG_PASSWRD'));
    assert.ok(!isErrorCode('toString'), 'inherited names are not codes');
  });

  test('AppError and CertError take the sentence from the registry unless the throw site has a better one', () => {
    assert.equal(new AppError('NOT_FOUND').message, ERRORS.NOT_FOUND.message);
    assert.equal(new AppError('NOT_FOUND').statusCode, 404);
    assert.equal(AppError.inRequest('CERTIFICATE_NOT_FOUND', 'There is no certificate 7.').statusCode, 422);
    const cert = new CertError('NO_CHAIN');
    assert.equal(cert.message, ERRORS.NO_CHAIN.message);
    assert.equal(cert.inRequest, false);
    assert.ok(!('statusCode' in cert), 'the certificate core knows no HTTP status');
    const relabelled = CertError.inRequest('KEY_MISMATCH', 'a', { file: 'x' }).withMessage('b', { more: 1 });
    assert.deepEqual(
      [relabelled.code, relabelled.message, relabelled.inRequest],
      ['KEY_MISMATCH', 'b', true],
    );
    assert.deepEqual(relabelled.details, { file: 'x', more: 1 });
  });

  test('the browser entry (@certdesk/shared/errors) imports nothing, so no TypeBox reaches the bundle', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'shared/package.json'), 'utf8'));
    assert.equal(pkg.exports['./errors'].source, './src/errors.ts');
    const text = fs.readFileSync(path.join(repo, 'shared/src/errors.ts'), 'utf8');
    assert.doesNotMatch(text, /^\s*(import|export \* from|export \{[^}]*\} from)\b/m);
  });
});

describe('throw sites', () => {
  const files = sourceFiles(path.join(repo, 'server/src'));

  test('every AppError and CertError in server/src names a declared code and no status', () => {
    const opener = /(new (?:AppError|CertError)|(?:AppError|CertError)\.inRequest)\(\s*(['"`])([^'"`]*)\2/g;
    let seen = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(opener)) {
        seen++;
        const where = `${path.relative(repo, file)}: ${m[0]}`;
        assert.ok(isErrorCode(m[3] as string), `${where}: undeclared code`);
      }
      assert.doesNotMatch(
        text,
        /new (?:AppError|CertError)\([^;]*?\bstatus: *\d{3}/s,
        path.relative(repo, file),
      );
    }
    assert.ok(seen > 60, `found ${seen} throw sites`);
  });

  test('cert/ throws CertError only: no server errors, no fastify', () => {
    for (const file of files.filter((f) => f.includes(`${path.sep}cert${path.sep}`))) {
      const text = fs.readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /from '\.\.\/errors\.js'/, `${file} imports server/src/errors.ts`);
      assert.doesNotMatch(text, /from 'fastify/, `${file} imports fastify`);
    }
  });
});

test('the OpenAPI error responses and the registry name the same statuses', async () => {
  const { app, close } = await createTestApp();
  try {
    const session = await login(app);
    const res = await app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { cookie: session.cookie },
    });
    assert.equal(res.statusCode, 200, res.body);
    const paths = res.json().paths as Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    const documented = new Set<number>();
    for (const [route, methods] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const status of Object.keys(op.responses ?? {}).map(Number)) {
          if (status < 400) continue;
          documented.add(status);
          assert.ok(
            entries.some(([, def]) => def.status === status || def.requestStatus === status),
            `${method.toUpperCase()} ${route} documents ${status}, which no registry code answers`,
          );
        }
      }
    }
    // 500 is a bug, not an answer a route promises.
    const answered = new Set(entries.flatMap(([, d]) => [d.status, d.requestStatus ?? d.status]));
    answered.delete(500);
    for (const status of answered) assert.ok(documented.has(status), `no route documents ${status}`);
  } finally {
    await close();
  }
});
