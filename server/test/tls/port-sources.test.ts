import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../src/errors.js';
import { defaultServerSettings, parseServerSettings } from '../../src/store/server-settings.js';
import { assertPortsNotFromEnvironment, describePortSources } from '../../src/tls/port-sources.js';

describe('which source decides the ports', () => {
  const stored = JSON.stringify({ ...defaultServerSettings(9090, 9443), httpsEnabled: true });

  test('the environment wins over the stored row; the stored row over the defaults', () => {
    const envHttp = parseServerSettings(stored, defaultServerSettings(8081, 8443, ['httpPort']));
    assert.equal(envHttp.httpPort, 8081, 'CERTDESK_HTTP_PORT set: it wins');
    assert.equal(envHttp.httpsPort, 9443, 'CERTDESK_HTTPS_PORT unset: the stored port');
    assert.equal(envHttp.httpsEnabled, true, 'the rest of the row is untouched');
    assert.equal('fromEnvironment' in envHttp, false, 'nothing of the rule leaks into what is stored');
    const none = parseServerSettings(stored, defaultServerSettings(8080, 8443));
    assert.deepEqual([none.httpPort, none.httpsPort], [9090, 9443]);
    const fresh = parseServerSettings(undefined, defaultServerSettings(8080, 8443, ['httpsPort']));
    assert.deepEqual([fresh.httpPort, fresh.httpsPort], [8080, 8443]);
  });

  test('the start-up line says which source won, and what the settings said when overruled', () => {
    assert.equal(
      describePortSources({ httpPort: 8081, httpsPort: 9443 }, { httpPort: 9090, httpsPort: 9443 }, [
        'httpPort',
      ]),
      'ports: HTTP 8081 from CERTDESK_HTTP_PORT (over 9090 in the settings); HTTPS 9443 from the settings',
    );
    assert.equal(
      describePortSources({ httpPort: 8080, httpsPort: 8443 }, { httpPort: null, httpsPort: null }, [
        'httpsPort',
      ]),
      'ports: HTTP 8080 from the defaults; HTTPS 8443 from CERTDESK_HTTPS_PORT',
    );
  });

  test('a change may send the environment port back unchanged, never another one', () => {
    const current = { httpPort: 8081, httpsPort: 9443 };
    assertPortsNotFromEnvironment(current, { httpPort: 8081, httpsPort: 9444 }, ['httpPort']);
    assert.throws(
      () => assertPortsNotFromEnvironment(current, { httpPort: 8082 }, ['httpPort']),
      (err: unknown) =>
        err instanceof AppError &&
        err.code === 'PORT_SET_BY_ENVIRONMENT' &&
        err.statusCode === 422 &&
        err.details.field === 'httpPort' &&
        /set by CERTDESK_HTTP_PORT/.test(err.message),
    );
  });
});
