import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { NotificationDeliveries, NotificationSettingsUpdate } from '@certdesk/shared';
import { buildApp } from '../../src/build-app.js';
import { fingerprintSha256 } from '../../src/cert/identity.js';
import { RETRY_DELAYS_MS } from '../../src/services/notify-service.js';
import { createTestApp, login, type Session, type TestApp } from '../support/app.js';
import { FakeClock } from '../support/fake-clock.js';
import { type Issued, makeLeaf, makePki, type TestChain } from '../support/pki.js';
import { seedCertificate } from '../support/seed.js';
import { startSmtpReceiver } from '../support/smtp-receiver.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const SMTP_PASSWORD = 'Sm7p-sealed-password-xyz';

let pki: TestChain;
let smtpCert: Issued;
let app: TestApp;
let session: Session;
let clock: FakeClock;
let logs = '';
const stops: (() => Promise<void>)[] = [];

before(async () => {
  pki = await makePki();
  smtpCert = await makeLeaf(pki.intermediate, { cn: 'localhost', sans: ['localhost', '127.0.0.1'] });
  clock = new FakeClock();
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs += chunk.toString();
      cb();
    },
  });
  const env = await createTestApp({ CERTDESK_LOG_LEVEL: 'debug' }, { clock, logStream });
  app = env.app;
  stops.push(env.close);
  session = await login(app);
  // The SMTP server's certificate verifies through the console's trust anchors.
  app.trustAnchors.insert(pki.root.cert.subject, fingerprintSha256(pki.root.cert), pki.root.cert.raw);
});
after(async () => {
  for (const s of stops.reverse()) await s();
});

async function configure(body: NotificationSettingsUpdate): Promise<void> {
  const res = await app.inject({
    method: 'PUT',
    url: '/api/settings/notifications',
    headers: session.headers,
    payload: body,
  });
  assert.equal(res.statusCode, 200, res.body);
}

/** Runs the deliveries due now (the outbox drains on the clock) and waits for them. */
async function deliver(ms = 0): Promise<void> {
  clock.advance(ms);
  await app.notifier.settled();
}

async function deliveries() {
  const res = await app.inject({
    method: 'GET',
    url: '/api/notifications/deliveries',
    headers: session.headers,
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as NotificationDeliveries).items;
}

test('an event reaches e-mail (STARTTLS + AUTH) and every webhook format; nothing secret in mails, bodies or logs', async () => {
  const smtp = await startSmtpReceiver({
    key: smtpCert.keyPem,
    cert: `${smtpCert.certPem}${pki.intermediate.certPem}`,
    users: { certdesk: SMTP_PASSWORD },
  });
  const hooks = await startWebhookReceiver();
  stops.push(smtp.close, hooks.close);
  await configure({
    email: {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'starttls',
      username: 'certdesk',
      password: SMTP_PASSWORD,
      from: 'certdesk@example.test',
      to: ['admin@example.test'],
    },
    webhooks: [
      { url: hooks.url('/json'), format: 'json' },
      { url: hooks.url('/slack/T0/B0/slack-secret-path'), format: 'slack' },
      { url: hooks.url('/teams'), format: 'teams' },
    ],
    events: ['expiring', 'expired', 'renewal-failed', 'deploy-failed', 'drift'],
  });
  const { id, leaf } = await seedCertificate(app, pki, {
    cn: 'shop.example.test',
    sans: ['shop.example.test', 'www.shop.example.test'],
  });
  const keyPem = leaf.keyPem;
  // Another feature's failure message carrying a key by mistake: scrubbed before it leaves.
  app.events.emit('deploy-failed', {
    targetId: 4,
    targetName: 'web-1',
    certificateId: id,
    message: `nginx -t failed; password=hunter2 ${keyPem}`,
  });
  const arrived = smtp.next();
  await deliver();
  const mail = await arrived;
  assert.equal(mail.secure, true);
  assert.equal(mail.user, 'certdesk');
  assert.equal(mail.subject, 'Deployment of shop.example.test to web-1 failed');
  assert.match(mail.text, /shop\.example\.test, www\.shop\.example\.test/);
  assert.match(mail.text, new RegExp(`/certificates/${id}`));
  assert.match(mail.text, /\[PEM removed\]/);
  assert.equal(hooks.hooks.length, 3);
  assert.deepEqual(
    hooks.hooks.map((h) => h.path),
    ['/json', '/slack/T0/B0/slack-secret-path', '/teams'],
  );
  assert.equal((hooks.hooks[0]?.body as { certificateId: number } | undefined)?.certificateId, id);
  assert.equal((hooks.hooks[1]?.body as { text: string } | undefined)?.text, mail.subject);
  assert.equal((hooks.hooks[2]?.body as { '@type': string } | undefined)?.['@type'], 'MessageCard');

  const keyBody = keyPem.split('\n')[1] as string;
  const everything = [
    mail.raw,
    ...hooks.hooks.map((h) => h.raw),
    logs,
    JSON.stringify(await deliveries()),
  ].join('\n');
  for (const secret of [
    SMTP_PASSWORD,
    keyBody,
    'PRIVATE KEY',
    'hunter2',
    session.cookie.split('=')[1] as string,
    session.csrfToken,
  ]) {
    assert.ok(!everything.includes(secret), `"${secret.slice(0, 12)}…" leaked`);
  }
  assert.ok(!logs.includes('slack-secret-path'));
  const items = await deliveries();
  assert.deepEqual(
    items.map((d) => [d.status, d.attempts]),
    [
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ],
  );
  assert.ok(items.some((d) => d.channel === `webhook (slack) ${new URL(hooks.url()).origin}`));
});

test('a failing receiver: the emitter is not held up, the delivery is retried with back-off, then given up and visible', async () => {
  let failing = true;
  const flaky = await startWebhookReceiver(() => ({ status: failing ? 503 : 200 }));
  const dead = await startWebhookReceiver(() => ({ status: 500 }));
  stops.push(flaky.close, dead.close);
  await configure({
    email: null,
    webhooks: [
      { url: flaky.url('/flaky'), format: 'json' },
      { url: dead.url('/dead'), format: 'json' },
    ],
    events: ['drift'],
  });
  const { id } = await seedCertificate(app, pki, { cn: 'api.example.test' });
  const started = performance.now();
  app.events.emit('drift', {
    targetId: 1,
    targetName: 'lb-1',
    certificateId: id,
    message: 'serves another certificate',
  });
  // Not subscribed: nothing queued for a renewal failure.
  app.events.emit('renewal-failed', { certificateId: id, message: 'CA down', attempt: 1 });
  assert.ok(performance.now() - started < 50, 'emitting only writes the outbox');
  await deliver();
  let [deadRow, flakyRow] = await deliveries();
  assert.equal(flakyRow?.status, 'retrying');
  assert.equal(flakyRow?.attempts, 1);
  assert.match(flakyRow?.lastError ?? '', /answered 503/);
  assert.equal(deadRow?.status, 'retrying');
  assert.equal(flakyRow?.nextAttemptAt, new Date(clock.now() + RETRY_DELAYS_MS[0]!).toISOString());

  failing = false;
  await deliver(RETRY_DELAYS_MS[0]! - 1);
  assert.equal(flaky.hooks.length, 1, 'not before its time');
  await deliver(1);
  [deadRow, flakyRow] = await deliveries();
  assert.equal(flakyRow?.status, 'sent');
  assert.equal(flakyRow?.attempts, 2);
  assert.equal(flaky.hooks.length, 2);

  for (const delay of RETRY_DELAYS_MS.slice(1)) await deliver(delay);
  [deadRow] = await deliveries();
  assert.equal(deadRow?.status, 'failed');
  assert.equal(deadRow?.attempts, RETRY_DELAYS_MS.length + 1);
  assert.equal(deadRow?.nextAttemptAt, null);
  assert.equal(dead.hooks.length, RETRY_DELAYS_MS.length + 1);
  await deliver(24 * 3_600_000);
  assert.equal(dead.hooks.length, RETRY_DELAYS_MS.length + 1, 'given up for good');
  assert.match(logs, /notification delivery failed/);
});

test('deliveries still pending at shutdown go out after a restart, once', async () => {
  const restartClock = new FakeClock();
  const env = await createTestApp({}, { clock: restartClock });
  const hooks = await startWebhookReceiver(() => ({ status: 500 }));
  stops.push(hooks.close);
  const s = await login(env.app);
  const saved = await env.app.inject({
    method: 'PUT',
    url: '/api/settings/notifications',
    headers: s.headers,
    payload: { email: null, webhooks: [{ url: hooks.url('/r'), format: 'teams' }], events: ['expired'] },
  });
  assert.equal(saved.statusCode, 200, saved.body);
  const { id } = await seedCertificate(env.app, pki, { cn: 'restart.example.test' });
  env.app.events.emit('certificate-expired', { certificateId: id, notAfter: new Date().toISOString() });
  restartClock.advance(0);
  await env.app.notifier.settled();
  assert.equal(hooks.hooks.length, 1);
  await env.app.close();

  hooks.state.answer = () => ({ status: 200 });
  restartClock.advance(RETRY_DELAYS_MS[0]!);
  const again = await buildApp(env.config, {}, { clock: restartClock });
  restartClock.advance(0);
  await again.notifier.settled();
  assert.equal(hooks.hooks.length, 2);
  assert.equal(
    (hooks.hooks[1]?.body as { title: string } | undefined)?.title,
    'Certificate restart.example.test expired on ' + new Date().toISOString().slice(0, 10),
  );
  restartClock.advance(24 * 3_600_000);
  await again.notifier.settled();
  assert.equal(hooks.hooks.length, 2);
  await again.close();
  fs.rmSync(env.dataDir, { recursive: true, force: true });
});
