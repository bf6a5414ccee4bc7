// Load client for tls.bench.ts, run as its own process so it never shares an event loop with a server.
//   node tls-client.mjs handshakes <host> <port> <servername> <caFile> <count> <concurrency>
//     → full TLS handshakes (a new connection each, no resumption); prints { done, failed, seconds }
//   node tls-client.mjs requests <host> <port> <servername> <caFile> <concurrency>
//     → GET /api/health on a new connection each until the parent sends "stop" (IPC); prints { done, failed, errors }
import fs from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';

const [mode, host, portText, servername, caFile, ...rest] = process.argv.slice(2);
const port = Number(portText);
const ca = fs.readFileSync(caFile, 'utf8');
let done = 0;
let failed = 0;
const errors = [];
const fail = (msg) => {
  failed++;
  if (errors.length < 5) errors.push(msg);
};

function handshake() {
  return new Promise((resolve) => {
    const s = tls.connect({ host, port, servername, ca });
    s.once('secureConnect', () => {
      done++;
      s.destroy();
      resolve();
    });
    s.once('error', (e) => {
      fail(e.message);
      resolve();
    });
  });
}

function get() {
  return new Promise((resolve) => {
    const req = https.get({ host, port, servername, ca, path: '/api/health', agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) done++;
        else fail(`status ${res.statusCode}`);
        resolve();
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => {
      fail(e.message);
      resolve();
    });
  });
}

if (mode === 'handshakes') {
  const count = Number(rest[0]);
  const concurrency = Number(rest[1]);
  let started = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < count) {
        started++;
        await handshake();
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ done, failed, seconds, errors }));
} else if (mode === 'requests') {
  const concurrency = Number(rest[0]);
  let stop = false;
  process.on('message', (m) => {
    if (m === 'stop') stop = true;
  });
  process.send?.('ready');
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      // Bounded: the parent always sends "stop"; the cap only guards against a lost message.
      for (let i = 0; i < 1_000_000 && !stop; i++) await get();
    }),
  );
  process.send?.({ done, failed, errors });
  process.disconnect?.();
} else {
  console.error('usage: tls-client.mjs handshakes|requests …');
  process.exit(2);
}
