import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../src/errors.js';
import {
  hostName,
  hstsFor,
  type PlainRequest,
  type RedirectPolicy,
  redirectFor,
} from '../../src/tls/redirect.js';

const policy: RedirectPolicy = {
  active: true,
  httpsPort: 8443,
  serverNames: ['console.example.test', '10.0.0.5'],
  listenHost: '0.0.0.0',
};
const req = (over: Partial<PlainRequest> = {}): PlainRequest => ({
  method: 'GET',
  url: '/settings',
  hostHeader: 'console.example.test:8080',
  localAddress: '192.0.2.7',
  ...over,
});

describe('redirectFor', () => {
  test('nothing to do while HTTPS is not confirmed, the switch is off, or no HTTPS port is bound', () => {
    assert.equal(redirectFor({ ...policy, active: false }, req()), null);
    assert.equal(redirectFor({ ...policy, httpsPort: null }, req()), null);
  });

  test('302 for GET and HEAD, 307 for everything else', () => {
    assert.equal(redirectFor(policy, req())?.status, 302);
    assert.equal(redirectFor(policy, req({ method: 'HEAD' }))?.status, 302);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      assert.equal(redirectFor(policy, req({ method }))?.status, 307, method);
    }
  });

  test('port 443 is left out of the Location', () => {
    assert.equal(
      redirectFor({ ...policy, httpsPort: 443 }, req({ url: '/a?b=1' }))?.location,
      'https://console.example.test/a?b=1',
    );
  });

  test('known hosts keep their name: server names, loopback forms, the listen and local addresses', () => {
    const at = (hostHeader: string, over: Partial<RedirectPolicy> = {}, localAddress = '192.0.2.7') =>
      redirectFor({ ...policy, ...over }, req({ hostHeader, localAddress }))?.location;
    assert.equal(at('10.0.0.5'), 'https://10.0.0.5:8443/settings');
    assert.equal(at('LOCALHOST:80'), 'https://localhost:8443/settings');
    assert.equal(at('[::1]:8080'), 'https://[::1]:8443/settings');
    assert.equal(at('192.0.2.7:8080'), 'https://192.0.2.7:8443/settings', 'the address it arrived on');
    assert.equal(at('192.0.2.7', {}, '::ffff:192.0.2.7'), 'https://192.0.2.7:8443/settings');
    assert.equal(at('[2001:db8::1]', {}, '2001:db8::1'), 'https://[2001:db8::1]:8443/settings');
    assert.equal(at('admin.lan', { listenHost: 'admin.lan' }), 'https://admin.lan:8443/settings');
  });

  test('any other Host goes to the first server name, never to itself', () => {
    for (const hostHeader of [
      'evil.example',
      'evil.example:8443',
      '192.0.2.8',
      '[2001:db8::2]',
      'a:b:c',
      '',
      undefined,
    ]) {
      assert.equal(
        redirectFor(policy, req({ hostHeader }))?.location,
        'https://console.example.test:8443/settings',
        String(hostHeader),
      );
    }
  });

  test('an absolute-form or asterisk target is not used as a path', () => {
    assert.equal(
      redirectFor(policy, req({ url: 'http://evil.example/x' }))?.location,
      'https://console.example.test:8443/',
    );
    assert.equal(
      redirectFor(policy, req({ url: '*', method: 'OPTIONS' }))?.location,
      'https://console.example.test:8443/',
    );
  });

  test('without server names an unknown host is a 400 UNKNOWN_HOST pointing at the local address', () => {
    const none = { ...policy, serverNames: [] };
    assert.throws(
      () => redirectFor(none, req({ hostHeader: 'evil.example', localAddress: '::ffff:192.0.2.7' })),
      (err: unknown) =>
        err instanceof AppError &&
        err.code === 'UNKNOWN_HOST' &&
        err.statusCode === 400 &&
        err.message.includes('https://192.0.2.7:8443/') &&
        !err.message.includes('evil'),
    );
    assert.equal(
      redirectFor(none, req({ hostHeader: 'localhost' }))?.location,
      'https://localhost:8443/settings',
    );
  });

  test('ACME HTTP-01 and health paths are served here', () => {
    assert.equal(redirectFor(policy, req({ url: '/.well-known/acme-challenge/abc' })), null);
    assert.equal(
      redirectFor(policy, req({ url: '/.well-known/acme-challenge/abc?x', method: 'POST' })),
      null,
    );
    assert.equal(redirectFor(policy, req({ url: '/api/health' })), null);
    assert.equal(redirectFor(policy, req({ url: '/api/health?verbose=1' })), null);
    assert.ok(redirectFor(policy, req({ url: '/.well-known/acme-challenge' })), 'only the folder’s contents');
    assert.ok(redirectFor(policy, req({ url: '/api/healthz' })));
  });
});

describe('hostName', () => {
  test('lower case, no port, no brackets, no trailing dot; null when malformed', () => {
    assert.equal(hostName('Example.COM.:80'), 'example.com');
    assert.equal(hostName('[::1]:443'), '::1');
    assert.equal(hostName('[not-an-ip]'), null);
    assert.equal(hostName('[::1'), null);
    assert.equal(hostName('::1'), null, 'IPv6 without brackets is not a valid Host');
    assert.equal(hostName(':80'), null);
    assert.equal(hostName(undefined), null);
  });
});

describe('hstsFor', () => {
  test('only on HTTPS answers once HTTPS is confirmed', () => {
    assert.match(hstsFor(true, true) ?? '', /^max-age=\d+$/);
    assert.equal(hstsFor(true, false), null);
    assert.equal(hstsFor(false, true), null);
  });
});
