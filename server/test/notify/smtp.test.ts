import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import type { NotificationMessage } from '../../src/notify/message.js';
import { sendMail } from '../../src/notify/smtp.js';
import { type Issued, makeLeaf, makePki, type TestChain } from '../support/pki.js';
import { startSmtpReceiver } from '../support/smtp-receiver.js';

const PASSWORD = 'smtp-Pa55word-never-in-a-mail';
const message: NotificationMessage = {
  event: 'expiring',
  subject: 'Certificate www.example.test expires in 14 days (2026-12-11)',
  summary: 'The certificate www.example.test expires on 2026-12-11.',
  facts: [{ name: 'Certificate', value: 'www.example.test (#7)' }],
  link: 'https://certdesk.example.test/certificates/7',
  severity: 'warning',
  at: '2026-11-27T12:00:00.000Z',
  certificateId: 7,
};

let pki: TestChain;
let server: Issued;
const stops: (() => Promise<void>)[] = [];
before(async () => {
  pki = await makePki();
  server = await makeLeaf(pki.intermediate, { cn: 'localhost', sans: ['localhost', '127.0.0.1'] });
});
after(async () => {
  for (const stop of stops) await stop();
});

const base = { from: 'certdesk@example.test', to: ['admin@example.test', 'ops@example.test'] };

test('STARTTLS with AUTH PLAIN: the mail arrives over TLS, authenticated, with subject, names, expiry and link', async () => {
  const rx = await startSmtpReceiver({
    key: server.keyPem,
    cert: `${server.certPem}${pki.intermediate.certPem}`,
    users: { certdesk: PASSWORD },
  });
  stops.push(rx.close);
  const arrived = rx.next();
  const result = await sendMail(
    {
      host: '127.0.0.1',
      port: rx.port,
      security: 'starttls',
      username: 'certdesk',
      password: PASSWORD,
      ...base,
    },
    message,
    { timeoutMs: 5000, extraCa: [pki.root.certPem] },
  );
  assert.match(result, /Accepted by 127\.0\.0\.1 for 2 recipient/);
  const mail = await arrived;
  assert.equal(mail.secure, true);
  assert.equal(mail.user, 'certdesk');
  assert.deepEqual(mail.to, base.to);
  assert.equal(mail.subject, message.subject);
  assert.equal(mail.headers.get('x-certdesk-event'), 'expiring');
  assert.match(mail.text, /www\.example\.test \(#7\)/);
  assert.match(mail.text, /Open in certdesk: https:\/\/certdesk\.example\.test\/certificates\/7/);
  assert.ok(!mail.raw.includes(PASSWORD), 'the SMTP password is not in the message');
});

test('STARTTLS refuses a server certificate that does not verify (no silent downgrade)', async () => {
  const rx = await startSmtpReceiver({
    key: server.keyPem,
    cert: server.certPem,
    users: { certdesk: PASSWORD },
  });
  stops.push(rx.close);
  await assert.rejects(
    sendMail(
      {
        host: '127.0.0.1',
        port: rx.port,
        security: 'starttls',
        username: 'certdesk',
        password: PASSWORD,
        ...base,
      },
      message,
      { timeoutMs: 5000 },
    ),
    (err: Error) => !err.message.includes(PASSWORD) && /certificate|verify|issuer/i.test(err.message),
  );
  assert.equal(rx.mails.length, 0);
});

test('implicit TLS and plain SMTP without auth both deliver; a wrong password is a sentence without the password', async () => {
  const tls = await startSmtpReceiver({
    secure: true,
    key: server.keyPem,
    cert: `${server.certPem}${pki.intermediate.certPem}`,
  });
  const plain = await startSmtpReceiver({ disabledCommands: ['STARTTLS', 'AUTH'] });
  const authed = await startSmtpReceiver({
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    users: { u: 'right' },
  });
  stops.push(tls.close, plain.close, authed.close);
  await sendMail({ host: 'localhost', port: tls.port, security: 'tls', ...base }, message, {
    timeoutMs: 5000,
    extraCa: [pki.root.certPem],
  });
  assert.equal(tls.mails[0]?.secure, true);
  await sendMail({ host: '127.0.0.1', port: plain.port, security: 'none', ...base }, message, {
    timeoutMs: 5000,
  });
  assert.equal(plain.mails[0]?.secure, false);
  assert.equal(plain.mails[0]?.subject, message.subject);
  await assert.rejects(
    sendMail(
      {
        host: '127.0.0.1',
        port: authed.port,
        security: 'none',
        username: 'u',
        password: 'wrong-Secret-1',
        ...base,
      },
      message,
      { timeoutMs: 5000 },
    ),
    (err: Error) =>
      /refused the user name or password \(535\)/.test(err.message) &&
      !err.message.includes('wrong-Secret-1'),
  );
});

test('a server that never greets is given up after the time limit', async () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  stops.push(
    () =>
      new Promise<void>((r) => {
        for (const socket of sockets) socket.destroy();
        silent.close(() => r());
      }),
  );
  const port = (silent.address() as net.AddressInfo).port;
  const started = Date.now();
  await assert.rejects(
    sendMail({ host: '127.0.0.1', port, security: 'starttls', ...base }, message, { timeoutMs: 300 }),
    /greeting|timeout|time/i,
  );
  assert.ok(Date.now() - started < 3000);
});
