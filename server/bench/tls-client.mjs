// Load client for tls.bench.ts, run as its own process (pinned to its own core by the bench) so it never
// shares a core or an event loop with the server it measures. One secure context is made once and reused
// by every connection: building one per connection (passing `ca` to tls.connect) cost ~2 ms of client CPU
// per handshake and made the client, not the server, the bottleneck.
//
//   node tls-client.mjs full     <host> <port> <servername> <caFile> <seconds> <concurrency> [get]
//     full TLS handshakes, a new connection each and no session offered; with "get", one
//     GET /api/health per connection. Prints { done, failed, full, resumed, seconds, errors }.
//   node tls-client.mjs resumed  <host> <port> <servername> <caFile> <seconds> <concurrency>
//     each worker offers the last session ticket it received (TLS 1.3 PSK), so after its first
//     connection every handshake can be an abbreviated one; full and resumed are counted apart.
//   node tls-client.mjs requests <host> <port> <servername> <caFile> <concurrency>
//     GET /api/health on a new connection each until the parent sends "stop" (IPC); prints the counts.
import fs from 'node:fs';
import tls from 'node:tls';

const [mode, host, portText, servername, caFile, ...rest] = process.argv.slice(2);
const port = Number(portText);
const secureContext = tls.createSecureContext({ ca: fs.readFileSync(caFile, 'utf8') });
const request = `GET /api/health HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`;
// tickets: NewSessionTicket messages received (only counted where the connection stays open past its
// handshake, i.e. with "get"); negotiated: protocol, cipher and key-exchange group of the first handshake,
// so a results file can show every server was asked the same and agreed the same.
const counts = { done: 0, failed: 0, full: 0, resumed: 0, tickets: 0, negotiated: null, errors: [] };
const fail = (msg) => {
  counts.failed++;
  if (counts.errors.length < 5) counts.errors.push(msg);
};

/**
 * One connection: handshake, then (get) one request read to its end, or (wantSession) until the server's
 * session ticket arrives. Resolves with the ticket when one came.
 */
function connect({ session, get, wantSession, waitAfterResume = true }) {
  return new Promise((resolve) => {
    let ticket;
    let reused = false;
    let reply = '';
    let settled = false;
    const finish = (ok, msg) => {
      if (settled) return;
      settled = true;
      if (ok) counts.done++;
      else fail(msg);
      socket.destroy();
      resolve({ ticket, reused });
    };
    const socket = tls.connect({ host, port, servername, secureContext, session });
    socket.setTimeout(10_000, () => finish(false, 'timeout'));
    socket.on('session', (s) => {
      counts.tickets++;
      ticket = s;
      if (wantSession && !get) finish(true);
    });
    socket.once('secureConnect', () => {
      reused = socket.isSessionReused();
      if (!counts.negotiated) {
        const group = socket.getEphemeralKeyInfo()?.name ?? 'none';
        counts.negotiated = `${socket.getProtocol()} ${socket.getCipher()?.standardName} ${group}`;
      }
      if (reused) counts.resumed++;
      else counts.full++;
      if (get) socket.write(request);
      else if (!wantSession || ticket || (reused && !waitAfterResume)) finish(true);
      // After a full handshake the ticket follows at once; after a resumption some servers send none
      // (Node keeps the ticket valid), others a new one (nginx's cache is single-use in TLS 1.3).
      else setTimeout(() => finish(true), 100).unref();
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
    });
    socket.once('end', () => {
      if (!get) return;
      if (reply.startsWith('HTTP/1.1 200')) finish(true);
      else finish(false, `answer: ${reply.slice(0, 40)}`);
    });
    socket.once('error', (e) => finish(false, e.message));
    socket.once('close', () => finish(!get && !wantSession, 'closed early'));
  });
}

async function forSeconds(seconds, concurrency, work) {
  const t0 = process.hrtime.bigint();
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      let state;
      while (Date.now() < until) state = await work(state);
    }),
  );
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

if (mode === 'full' || mode === 'resumed') {
  const seconds = Number(rest[0]);
  const concurrency = Number(rest[1]);
  const get = rest[2] === 'get';
  const resumed = mode === 'resumed';
  const elapsed = await forSeconds(seconds, concurrency, async (state = { waitAfterResume: true }) => {
    const { ticket, reused } = await connect({
      session: resumed ? state.session : undefined,
      get,
      wantSession: resumed,
      waitAfterResume: state.waitAfterResume,
    });
    // A resumption that brought no new ticket: this server keeps tickets valid, stop waiting for one.
    const waitAfterResume = state.waitAfterResume && !(reused && !ticket);
    return { session: ticket ?? state.session, waitAfterResume };
  });
  console.log(JSON.stringify({ ...counts, seconds: elapsed }));
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
      for (let i = 0; i < 1_000_000 && !stop; i++) await connect({ get: true });
    }),
  );
  process.send?.(counts);
  process.disconnect?.();
} else {
  console.error('usage: tls-client.mjs full|resumed|requests …');
  process.exit(2);
}
