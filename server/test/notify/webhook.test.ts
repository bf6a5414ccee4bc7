import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { NotificationMessage } from '../../src/notify/message.js';
import { postWebhook, webhookBody } from '../../src/notify/webhook.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const message: NotificationMessage = {
  event: 'deploy-failed',
  subject: 'Deployment of www.example.test to web-1 failed',
  summary: 'The certificate www.example.test could not be deployed to web-1 <b>now</b>.',
  facts: [
    { name: 'Certificate', value: 'www.example.test (#3)' },
    { name: 'Target', value: 'web-1' },
  ],
  link: 'http://127.0.0.1:8080/certificates/3',
  severity: 'critical',
  at: '2026-11-27T12:00:00.000Z',
  certificateId: 3,
};

const stops: (() => Promise<void>)[] = [];
after(async () => {
  for (const s of stops) await s();
});

test('each format arrives as the receiver expects it: JSON, Slack {text, blocks}, Teams MessageCard', async () => {
  const rx = await startWebhookReceiver();
  stops.push(rx.close);
  for (const format of ['json', 'slack', 'teams'] as const) {
    const text = await postWebhook(rx.url(`/${format}/T0/B0/s3cr3t`), format, message, { timeoutMs: 2000 });
    assert.equal(
      text,
      `http://127.0.0.1:${new URL(rx.url()).port} answered 200.`,
      'the path (a secret) is not echoed',
    );
  }
  const [json, slack, teams] = rx.hooks;
  assert.equal(json?.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(json?.body, webhookBody('json', message));
  assert.equal((json?.body as { event: string } | undefined)?.event, 'deploy-failed');
  const s = slack?.body as { text: string; blocks: { type: string; text?: { text: string } }[] };
  assert.equal(s.text, message.subject);
  assert.deepEqual(
    s.blocks.map((b) => b.type),
    ['header', 'section', 'section', 'actions'],
  );
  assert.match(s.blocks[1]?.text?.text ?? '', /&lt;b&gt;now&lt;\/b&gt;/, 'markup from data is inert');
  const t = teams?.body as Record<string, unknown> & { potentialAction: { targets: { uri: string }[] }[] };
  assert.equal(t['@type'], 'MessageCard');
  assert.equal(t.title, message.subject);
  assert.equal(t.themeColor, 'C92A2A');
  assert.equal(t.potentialAction[0]?.targets[0]?.uri, message.link);
});

test('a redirect is not followed, a 500 fails, a receiver that never answers is cut off', async () => {
  const other = await startWebhookReceiver();
  const rx = await startWebhookReceiver((n) =>
    n === 1
      ? { status: 302, headers: { location: other.url('/stolen') } }
      : n === 2
        ? { status: 500 }
        : 'hang',
  );
  stops.push(rx.close, other.close);
  await assert.rejects(
    postWebhook(rx.url(), 'json', message, { timeoutMs: 2000 }),
    /302 \(a redirect, not followed\)/,
  );
  assert.equal(other.hooks.length, 0);
  await assert.rejects(postWebhook(rx.url(), 'json', message, { timeoutMs: 2000 }), /answered 500/);
  const started = Date.now();
  await assert.rejects(
    postWebhook(rx.url(), 'json', message, { timeoutMs: 300 }),
    /did not answer within 0\.3 s/,
  );
  assert.ok(Date.now() - started < 2000);
  await assert.rejects(
    postWebhook('http://127.0.0.1:1/x', 'json', message, { timeoutMs: 300 }),
    /refused the connection/,
  );
});
