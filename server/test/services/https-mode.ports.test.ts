import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { writeServerSettings } from '../../src/store/server-settings.js';
import { createTestApp, login } from '../support/app.js';
import { request } from '../support/tls-seed.js';

/** HTTPS mode's ports: CERTDESK_HTTP_PORT / CERTDESK_HTTPS_PORT win over the stored settings. */
describe('ports: the environment wins over the stored settings (issue 14, item 14)', () => {
  test('a restart with CERTDESK_HTTP_PORT serves that port, GET says so, PUT cannot change it', async () => {
    let logs = '';
    const logStream = new Writable({
      write(chunk, _enc, cb) {
        logs += chunk.toString();
        cb();
      },
    });
    const t = await createTestApp({ CERTDESK_HTTP_PORT: '0', CERTDESK_LOG_LEVEL: 'info' }, { logStream });
    try {
      // The settings row holds other ports (as after an earlier run); port 1 would fail to bind if used.
      writeServerSettings(t.app.db, { ...t.app.httpsManager.committed(), httpPort: 1, httpsPort: 0 });
      await t.app.httpsManager.start();
      const s = await login(t.app);
      const bound = t.app.httpsManager.ports.http!;
      const httpBase = () => `http://localhost:${t.app.httpsManager.ports.http}`;
      assert.match(
        logs,
        /ports: HTTP 0 from CERTDESK_HTTP_PORT \(over 1 in the settings\); HTTPS 0 from the settings/,
      );
      assert.ok(bound > 1, `the environment's port 0 (any free port) is bound, not the stored 1: ${bound}`);
      const view = JSON.parse(
        (await request(`${httpBase()}/api/settings/server`, { headers: s.headers })).body,
      );
      assert.equal(view.httpPort, 0);
      assert.deepEqual(view.portsSetByEnvironment, { httpPort: true, httpsPort: false });

      const put = (body: unknown) =>
        request(`${httpBase()}/api/settings/server`, { method: 'PUT', headers: s.headers, body });
      const refused = await put({ httpPort: 18082 });
      assert.equal(refused.status, 422, refused.body);
      assert.equal(JSON.parse(refused.body).code, 'PORT_SET_BY_ENVIRONMENT');
      assert.equal(JSON.parse(refused.body).field, 'httpPort');
      assert.match(JSON.parse(refused.body).message, /set by CERTDESK_HTTP_PORT/);
      // Sending back what GET said is fine: the form posts every field.
      const same = await put({ httpPort: 0, redirectHttp: false });
      assert.equal(same.status, 200, same.body);
      assert.equal(t.app.httpsManager.ports.http, bound, 'still the same listener');
    } finally {
      await t.close();
    }
  });
});
