import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemClock } from '../../src/clock.js';
import { consoleUrl } from '../../src/services/console-url.js';
import { EventBus } from '../../src/services/events.js';
import { NotifyService } from '../../src/services/notify-service.js';
import { NotificationOutboxStore } from '../../src/store/notification-outbox.js';
import { NotificationSettingsStore } from '../../src/store/notification-settings.js';
import { createTestApp, login, type TestApp } from '../support/app.js';
import { makePki } from '../support/pki.js';
import { seedCertificate } from '../support/seed.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The server and a `certdesk` command (deploy, acme renew-due) write one outbox in one database. Here the
 * command's notifier is a second NotifyService on the same database with its own event bus, as the CLI
 * wires it: every delivery is sent exactly once, whoever drains, and rows left by the command go out
 * from the server by themselves.
 */
let app: TestApp;
let close: () => Promise<void>;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let certificateId = 0;
const silent = { warn: () => undefined, error: () => undefined };

function commandNotifier(): { notifier: NotifyService; events: EventBus } {
  const events = new EventBus(() => undefined);
  const notifier = new NotifyService({
    outbox: new NotificationOutboxStore(app.db),
    settings: new NotificationSettingsStore(app.kv, app.keyEncryption),
    certificates: app.certificates,
    trustAnchors: app.trustAnchors,
    events,
    clock: systemClock,
    log: silent,
    consoleUrl: () => consoleUrl('127.0.0.1', app.settings.serverSettings()),
  });
  notifier.start();
  return { notifier, events };
}

const failure = (n: number) => ({
  targetId: n,
  targetName: `web-${n}`,
  certificateId,
  message: 'nginx -t failed',
});

before(async () => {
  ({ app, close } = await createTestApp());
  const session = await login(app);
  hooks = await startWebhookReceiver();
  const res = await app.inject({
    method: 'PUT',
    url: '/api/settings/notifications',
    headers: session.headers,
    payload: {
      email: null,
      webhooks: [{ url: hooks.url('/hook'), format: 'json' }],
      events: ['deploy-failed'],
    },
  });
  assert.equal(res.statusCode, 200, res.body);
  certificateId = (await seedCertificate(app, await makePki(), { cn: 'shared.example.test' })).id;
});

after(async () => {
  await hooks?.close();
  await close?.();
});

test('both drain at once: each delivery is sent once (a claim decides who sends)', async () => {
  const { notifier, events } = commandNotifier();
  for (let n = 1; n <= 5; n++) events.emit('deploy-failed', failure(n));
  await Promise.all([notifier.flush(), app.notifier.flush(), notifier.flush()]);
  notifier.stop();
  const targets = hooks.hooks
    .map((h) => (h.body as { subject: string }).subject.replace(/.* to /, '').replace(/ failed$/, ''))
    .sort();
  assert.deepEqual(targets, ['web-1', 'web-2', 'web-3', 'web-4', 'web-5']);
});

test('rows a command left unsent (it stopped before its drain): the server finds and sends them', async () => {
  hooks.hooks.length = 0;
  const { notifier, events } = commandNotifier();
  events.emit('deploy-failed', failure(6));
  events.emit('deploy-failed', failure(7));
  // Stopped in the same turn: the drain it armed never runs, the rows stay pending in the outbox.
  notifier.stop();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(hooks.hooks.length, 0);
  app.notifier.watchOutbox(50);
  for (let i = 0; i < 100 && hooks.hooks.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
  const targets = hooks.hooks
    .map((h) => (h.body as { subject: string }).subject.replace(/.* to /, '').replace(/ failed$/, ''))
    .sort();
  assert.deepEqual(targets, ['web-6', 'web-7']);
});
