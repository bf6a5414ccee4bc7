import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Permission, ROLES, type Role } from '@certdesk/shared';
import type { RouteOptions } from 'fastify';
import { can, permissionsOf } from '../../../src/services/permissions.js';
import { createTestApp, login, type Session, type TestApp } from '../../support/app.js';
import { makePki } from '../../support/pki.js';
import { seedCertificate } from '../../support/seed.js';

/** The only routes that need no permission: they answer without a session (API.md). */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'GET /api/setup', 'POST /api/setup']);
/** What an auditor may send besides reads: its own session and tokens, and public certificate files. */
const AUDITOR_WRITES = new Set<Permission>(['account', 'tokens:own', 'certificates:export']);
const PASSWORD = 'a long enough passphrase for tests';

interface Route {
  method: string;
  url: string;
  permission: Permission | undefined;
  public: boolean;
}

/**
 * Every registered /api route × every role: the answer follows the permission table (403 FORBIDDEN with a
 * sentence naming the role, or anything else when allowed), so a route cannot drift from the table.
 */
describe('route × role walk', () => {
  const routes: Route[] = [];
  const seen: RouteOptions[] = [];
  let app: TestApp;
  let close: () => Promise<void>;
  const sessions = {} as Record<Role, Session>;

  before(async () => {
    const t = await createTestApp(
      {},
      {
        onRoute: (r: RouteOptions) => {
          if (r.url.startsWith('/api')) seen.push(r);
        },
      },
    );
    // Read after registration: a plugin's own onRoute hook (the API docs) runs after this one.
    for (const r of seen) {
      for (const method of [r.method].flat()) {
        if (method === 'HEAD') continue;
        const config = (r.config ?? {}) as { permission?: Permission; public?: boolean };
        routes.push({ method, url: r.url, permission: config.permission, public: config.public === true });
      }
    }
    app = t.app;
    close = t.close;
    sessions.admin = await login(app);
    for (const role of ['operator', 'auditor'] as const) {
      await app.accounts.create(null, role, PASSWORD, role);
      sessions[role] = await login(app, role, PASSWORD);
    }
  });
  after(() => close());

  test('every /api route declares a permission, but login, setup and health, which are public', () => {
    assert.ok(routes.length >= 40, `only ${routes.length} routes seen`);
    const missing = routes
      .filter((r) => !PUBLIC.has(`${r.method} ${r.url}`) && !r.permission)
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(missing, []);
    const publicOnes = routes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(new Set(publicOnes), PUBLIC);
  });

  test('a route without a permission is closed to every role, the administrator included', async () => {
    // The dashboard as it would be if its permission were forgotten.
    const t = await createTestApp(
      {},
      {
        onRoute: (r: RouteOptions) => {
          if (r.url === '/api/dashboard') r.config = { ...(r.config as object), permission: undefined };
        },
      },
    );
    try {
      const s = await login(t.app);
      const res = await t.app.inject({ method: 'GET', url: '/api/dashboard', headers: s.headers });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'FORBIDDEN');
    } finally {
      await t.close();
    }
  });

  for (const role of [...ROLES, 'anonymous'] as const) {
    test(`${role}: every route answers as the permission table says`, async () => {
      const failures: string[] = [];
      // Signing out ends the session: those go last, and the session is renewed after each.
      const ordered = [...routes].sort(
        (a, b) => Number(a.url.startsWith('/api/auth/logout')) - Number(b.url.startsWith('/api/auth/logout')),
      );
      for (const r of ordered) {
        const key = `${r.method} ${r.url}`;
        if (r.public) continue;
        // An id nobody has: allowed requests end in 404/400, never touch the caller's own account.
        const url = r.url.replace(/:[A-Za-z]+/g, '999999').replace(/\*$/, 'x');
        const headers = role === 'anonymous' ? {} : sessions[role].headers;
        const res = await app.inject({
          method: r.method as 'GET',
          url,
          headers,
          payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
        });
        const body = (
          res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : undefined
        ) as { code?: string; message?: string } | undefined;
        if (role === 'anonymous') {
          if (res.statusCode !== 401) failures.push(`${key}: ${res.statusCode} without auth`);
          continue;
        }
        const allowed = r.permission !== undefined && can(role, r.permission);
        if (allowed && body?.code === 'FORBIDDEN') failures.push(`${key}: ${role} refused (${r.permission})`);
        if (!allowed) {
          if (res.statusCode !== 403 || body?.code !== 'FORBIDDEN') {
            failures.push(`${key}: ${role} got ${res.statusCode} ${body?.code} for ${r.permission}`);
          } else if (!body.message?.startsWith(`An ${role} cannot `)) {
            failures.push(`${key}: sentence "${body.message}"`);
          }
        }
        if (r.url.startsWith('/api/auth/logout') && res.statusCode === 204) {
          sessions[role] = await login(
            app,
            role === 'admin' ? 'admin' : role,
            role === 'admin' ? undefined : PASSWORD,
          );
        }
      }
      assert.deepEqual(failures, []);
    });
  }

  test('an auditor can send nothing that changes the inventory, settings, users or tools', () => {
    const writes = routes.filter((r) => !r.public && r.method !== 'GET');
    const allowed = writes.filter((r) => r.permission && can('auditor', r.permission));
    assert.deepEqual(
      allowed
        .filter((r) => !AUDITOR_WRITES.has(r.permission as Permission))
        .map((r) => `${r.method} ${r.url}`),
      [],
    );
  });

  test('GET /api/auth/me lists the role and its permissions for the console', async () => {
    for (const role of ROLES) {
      const res = await app.inject({ method: 'GET', url: '/api/auth/me', headers: sessions[role].headers });
      assert.equal(res.statusCode, 200);
      const me = res.json() as { user: { role: string }; permissions: string[] };
      assert.equal(me.user.role, role);
      assert.deepEqual(me.permissions, permissionsOf(role));
    }
  });
});

describe('private-key export by role', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let certId: number;
  const sessions = {} as Record<Role, Session>;

  before(async () => {
    const t = await createTestApp();
    app = t.app;
    close = t.close;
    const pki = await makePki();
    certId = (await seedCertificate(app, pki, { cn: 'keys.example' })).id;
    sessions.admin = await login(app);
    for (const role of ['operator', 'auditor'] as const) {
      await app.accounts.create(null, role, PASSWORD, role);
      sessions[role] = await login(app, role, PASSWORD);
    }
  });
  after(() => close());

  const exportAs = (role: Role, body: Record<string, unknown>) =>
    app.inject({
      method: 'POST',
      url: `/api/certificates/${certId}/export`,
      headers: sessions[role].headers,
      payload: body,
    });

  test('operator and auditor download the certificate but never its key or a PFX', async () => {
    for (const role of ['operator', 'auditor'] as const) {
      assert.equal((await exportAs(role, { format: 'pem' })).statusCode, 200, role);
      for (const body of [
        { format: 'key', password: PASSWORD, keyPassphrase: 'another passphrase' },
        { format: 'pfx', password: PASSWORD, pfxPassword: 'pfx passphrase' },
      ]) {
        const res = await exportAs(role, body);
        assert.equal(res.statusCode, 403, `${role} ${body.format}`);
        assert.equal(res.json().code, 'FORBIDDEN');
        assert.match(res.json().message, /cannot export private keys/);
      }
    }
  });

  test('the administrator exports the key (with the password)', async () => {
    const res = await exportAs('admin', {
      format: 'pfx',
      password: 'correct horse battery staple',
      pfxPassword: 'pfx passphrase',
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  test('convert to PFX or PEM with the key is key export: refused to an operator before anything is converted', async () => {
    for (const to of ['pfx', 'pem']) {
      const boundary = 'b0undary';
      const fields = to === 'pem' ? { to, includeKey: 'true', pem: 'pasted' } : { to, pem: 'pasted' };
      const payload = `${Object.entries(fields)
        .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
        .join('')}--${boundary}--\r\n`;
      const res = await app.inject({
        method: 'POST',
        url: '/api/tools/convert',
        headers: {
          ...sessions.operator.headers,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload,
      });
      assert.equal(res.statusCode, 403, `${to}: ${res.body}`);
      assert.equal(res.json().code, 'FORBIDDEN');
    }
  });
});
