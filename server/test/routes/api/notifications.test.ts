import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { NotificationDeliveries, NotificationSettings, NotificationTestResult } from '@certdesk/shared';
import { createTestApp, login, type Session, type TestApp } from '../../support/app.js';
import { startSmtpReceiver } from '../../support/smtp-receiver.js';
import { startWebhookReceiver } from '../../support/webhook-receiver.js';

const PASSWORD = 'route-Secret-pw-42';
let app: TestApp;
let session: Session;
const stops: (() => Promise<void>)[] = [];

before(async () => {
  const env = await createTestApp();
  app = env.app;
  stops.push(env.close);
  session = await login(app);
});
after(async () => {
  for (const s of stops.reverse()) await s();
});

const get = async () => {
  const res = await app.inject({
    method: 'GET',
    url: '/api/settings/notifications',
    headers: session.headers,
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as NotificationSettings;
};
const put = (payload: object) =>
  app.inject({ method: 'PUT', url: '/api/settings/notifications', headers: session.headers, payload });
const kvRow = () =>
  (app.db.prepare("SELECT value FROM kv WHERE key = 'notification_settings'").get() as { value: string })
    .value;

const email = (port: number, extra: Record<string, unknown> = {}) => ({
  host: '127.0.0.1',
  port,
  security: 'none',
  username: 'certdesk',
  from: 'certdesk@example.test',
  to: ['admin@example.test'],
  ...extra,
});

test('defaults: no channel, every event', async () => {
  assert.deepEqual(await get(), {
    email: null,
    webhooks: [],
    events: ['expiring', 'expired', 'renewal-failed', 'deploy-failed', 'drift'],
  });
});

test('the SMTP password is sealed, never returned, kept when omitted, removed with ""; changes are audited without it', async () => {
  const saved = await put({ email: email(2525, { password: PASSWORD }), webhooks: [], events: ['expiring'] });
  assert.equal(saved.statusCode, 200, saved.body);
  assert.ok(!saved.body.includes(PASSWORD));
  const view = await get();
  assert.equal(view.email?.hasPassword, true);
  assert.ok(!('password' in (view.email ?? {})));
  assert.ok(!kvRow().includes(PASSWORD), 'not in the database in clear');
  assert.equal(app.notificationSettings.smtpPassword(), PASSWORD);

  const sealed = JSON.parse(kvRow()).email.passwordSealed;
  await put({ email: email(2526), webhooks: [], events: ['expiring'] });
  assert.equal(JSON.parse(kvRow()).email.passwordSealed, sealed, 'omitted: the stored one is kept');
  assert.equal((await get()).email?.port, 2526);
  await put({ email: email(2526, { password: '' }), webhooks: [], events: ['expiring'] });
  assert.equal((await get()).email?.hasPassword, false);

  const audit = app.db
    .prepare("SELECT details FROM audit_log WHERE action = 'settings.notifications'")
    .all() as { details: string }[];
  assert.equal(audit.length, 3);
  assert.ok(audit.every((a) => !a.details.includes(PASSWORD) && !a.details.includes(sealed)));
});

test('bad host, port, addresses and webhook URLs are 422 with a code and a sentence', async () => {
  const cases: [object, string][] = [
    [{ email: email(25, { host: 'bad host!' }), webhooks: [], events: [] }, 'INVALID_SMTP_HOST'],
    [{ email: email(0), webhooks: [], events: [] }, 'INVALID_SMTP_PORT'],
    [{ email: email(70000), webhooks: [], events: [] }, 'INVALID_SMTP_PORT'],
    [{ email: email(25, { from: 'not-an-address' }), webhooks: [], events: [] }, 'INVALID_EMAIL_ADDRESS'],
    [
      {
        email: email(25, { to: ['a@example.test', 'x\r\nBcc: evil@example.test'] }),
        webhooks: [],
        events: [],
      },
      'INVALID_EMAIL_ADDRESS',
    ],
    [{ email: email(25, { to: [] }), webhooks: [], events: [] }, 'NO_EMAIL_RECIPIENTS'],
    [
      { email: null, webhooks: [{ url: 'ftp://example.test/x', format: 'json' }], events: [] },
      'INVALID_WEBHOOK_URL',
    ],
    [
      { email: null, webhooks: [{ url: 'https://u:p@example.test/x', format: 'json' }], events: [] },
      'INVALID_WEBHOOK_URL',
    ],
    [{ email: null, webhooks: [{ url: 'not a url', format: 'slack' }], events: [] }, 'INVALID_WEBHOOK_URL'],
  ];
  for (const [body, code] of cases) {
    const res = await put(body);
    assert.equal(res.statusCode, 422, `${code}: ${res.body}`);
    assert.equal(res.json().code, code);
    assert.ok((res.json().message as string).length > 10);
  }
  const schema = await put({ email: null, webhooks: [{ url: 'http://x', format: 'xml' }], events: [] });
  assert.equal(schema.statusCode, 400);
  // Loopback and private receivers are allowed: an admin typed them.
  const ok = await put({
    email: null,
    webhooks: [
      { url: 'http://127.0.0.1:9/hook', format: 'json' },
      { url: 'http://10.0.0.5/teams', format: 'teams' },
    ],
    events: ['drift'],
  });
  assert.equal(ok.statusCode, 200, ok.body);
});

test('webhook URLs are credentials: roles that may only read the settings see each one as its origin', async () => {
  const secret = 'https://hooks.example.test/services/T000/B000/channel-credential';
  const saved = await put({
    email: null,
    webhooks: [{ url: secret, format: 'slack' }],
    events: ['expiring'],
  });
  assert.equal(saved.statusCode, 200, saved.body);
  assert.equal((saved.json() as NotificationSettings).webhooks[0]?.url, secret);
  const asRole = async (role: 'operator' | 'auditor') => {
    const s = await login(app, role, PASSWORD);
    const res = await app.inject({ method: 'GET', url: '/api/settings/notifications', headers: s.headers });
    assert.equal(res.statusCode, 200, res.body);
    return res;
  };
  await app.accounts.create(null, 'auditor', PASSWORD, 'auditor');
  await app.accounts.create(null, 'operator', PASSWORD, 'operator');
  const auditor = await asRole('auditor');
  assert.doesNotMatch(auditor.body, /channel-credential|T000/);
  assert.deepEqual((auditor.json() as NotificationSettings).webhooks, [
    { url: 'https://hooks.example.test/…', format: 'slack' },
  ]);
  // The operator may change the settings: it edits the list as a whole, so it reads it whole.
  assert.equal(((await asRole('operator')).json() as NotificationSettings).webhooks[0]?.url, secret);
  assert.equal((await get()).webhooks[0]?.url, secret);
});

test('send test: one result per channel (e-mail delivered, a dead webhook reported), recorded as deliveries', async () => {
  const none = await put({ email: null, webhooks: [], events: [] });
  assert.equal(none.statusCode, 200);
  const empty = await app.inject({
    method: 'POST',
    url: '/api/settings/notifications/test',
    headers: session.headers,
  });
  assert.equal(empty.statusCode, 409);
  assert.equal(empty.json().code, 'NO_NOTIFICATION_CHANNEL');

  const smtp = await startSmtpReceiver({
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    users: { certdesk: PASSWORD },
  });
  const hooks = await startWebhookReceiver();
  stops.push(smtp.close, hooks.close);
  await put({
    email: email(smtp.port, { password: PASSWORD }),
    webhooks: [
      { url: hooks.url('/ok'), format: 'slack' },
      { url: 'http://127.0.0.1:1/dead', format: 'json' },
    ],
    events: ['expiring'],
  });
  const res = await app.inject({
    method: 'POST',
    url: '/api/settings/notifications/test',
    headers: session.headers,
  });
  assert.equal(res.statusCode, 200, res.body);
  const { results } = res.json() as NotificationTestResult;
  assert.deepEqual(
    results.map((r) => [r.channel, r.ok]),
    [
      ['email', true],
      [`webhook ${new URL(hooks.url()).origin}`, true],
      ['webhook http://127.0.0.1:1', false],
    ],
  );
  assert.match(results[2]?.message ?? '', /refused the connection/);
  assert.equal(smtp.mails[0]?.subject, 'certdesk test notification');
  assert.equal(smtp.mails[0]?.user, 'certdesk');
  assert.equal((hooks.hooks[0]?.body as { text: string } | undefined)?.text, 'certdesk test notification');

  const list = await app.inject({
    method: 'GET',
    url: '/api/notifications/deliveries?limit=3',
    headers: session.headers,
  });
  const items = (list.json() as NotificationDeliveries).items;
  assert.equal(items.length, 3);
  assert.ok(items.every((d) => d.event === 'test'));
  assert.deepEqual(items.map((d) => d.status).sort(), ['failed', 'sent', 'sent']);
  assert.match(items.find((d) => d.status === 'failed')?.lastError ?? '', /refused/);
});

test('every route needs a session and CSRF for changes', async () => {
  for (const [method, url] of [
    ['GET', '/api/settings/notifications'],
    ['GET', '/api/notifications/deliveries'],
    ['GET', '/api/settings/reminders'],
    ['GET', '/api/dashboard/reminders'],
  ] as const) {
    const res = await app.inject({ method, url });
    assert.equal(res.statusCode, 401, url);
  }
  const noCsrf = await app.inject({
    method: 'POST',
    url: '/api/settings/notifications/test',
    headers: { cookie: session.cookie },
  });
  assert.equal(noCsrf.statusCode, 403);
});
