// Fine-interleaved keep-alive A/B client for tls-ab.ts (INTERLEAVE=slices). The round-based comparison
// gives each server 8 s in turn, and on this shared machine the same code moved 0.7–1.5× between two such
// turns: neighbours come and go on a scale of seconds. Here the servers take turns of SLICE ms each, many
// times, over connections opened once (no handshakes inside a turn), so a slow spell of the machine falls on
// every server alike. Per turn: requests answered and the server's CPU (below); the result is requests per server CPU-second over all turns, and the ratio of each
// server to the first one over blocks of cycles (below), whose min / median / max is the spread to report.
//
//   node interleave-client.mjs <caFile> <sliceMs> <cycles> <connections> <name:port:pid>...
// Prints one JSON line: { servers: [{ name, answered, cpuSeconds, perCpu, busy, blocks }], ratios: { name: [per block] } }.
import fs from 'node:fs';
import tls from 'node:tls';

const [caFile, sliceText, cyclesText, connText, ...targetTexts] = process.argv.slice(2);
const SLICE_MS = Number(sliceText);
const CYCLES = Number(cyclesText);
const CONNECTIONS = Number(connText);
const BODY_END = '{"status":"ok"}';
const secureContext = tls.createSecureContext({ ca: fs.readFileSync(caFile, 'utf8') });
const REQUEST = 'GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n';
// CPU time in ns from the scheduler (/proc/<pid>/task/<tid>/schedstat, summed over the server's threads):
// exact, where /proc/<pid>/stat counts 10 ms ticks, too coarse for a turn of a few hundred ms.
const TICKS_PER_SECOND = 1e9;

/** The server and its descendants (nginx's worker, cluster workers), listed once: they live as long as it. */
function processTree(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // a process that ended between the listing and the read
    }
  }
  const tree = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    tree.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return tree;
}

function cpuTicks(pids) {
  let ns = 0;
  for (const pid of pids)
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // a thread that ended between the listing and the read
      }
    }
  return ns;
}

function open(port) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', secureContext });
    socket.setNoDelay(true);
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}

const targets = [];
for (const text of targetTexts) {
  const [name, port, pid] = text.split(':');
  const sockets = [];
  for (let i = 0; i < CONNECTIONS; i++) sockets.push(await open(Number(port)));
  targets.push({ name, pids: processTree(Number(pid)), sockets, answered: 0, ticks: 0, ms: 0, cycles: [] });
}

/** One turn: every connection of the target asks, and asks again on each answer, until the turn ends. */
function turn(target) {
  return new Promise((resolve, reject) => {
    let active = true;
    let inFlight = 0;
    let answered = 0;
    const onData = [];
    for (const socket of target.sockets) {
      let buffered = '';
      const handler = (chunk) => {
        buffered += chunk;
        if (!buffered.endsWith(BODY_END)) return;
        if (!buffered.startsWith('HTTP/1.1 200'))
          reject(new Error(`${target.name}: ${buffered.slice(0, 80)}`));
        buffered = '';
        answered++;
        inFlight--;
        if (active) {
          inFlight++;
          socket.write(REQUEST);
        } else if (inFlight === 0) finish();
      };
      socket.setEncoding('utf8');
      socket.on('data', handler);
      onData.push([socket, handler]);
    }
    const before = cpuTicks(target.pids);
    const started = performance.now();
    const finish = () => {
      for (const [socket, handler] of onData) socket.off('data', handler);
      // The server has written its last answer; let it return from its callbacks before reading its CPU.
      setTimeout(
        () => resolve({ answered, ticks: cpuTicks(target.pids) - before, ms: performance.now() - started }),
        5,
      );
    };
    for (const socket of target.sockets) {
      inFlight++;
      socket.write(REQUEST);
    }
    setTimeout(() => {
      active = false;
      if (inFlight === 0) finish();
    }, SLICE_MS);
  });
}

for (let cycle = 0; cycle < CYCLES; cycle++) {
  // Rotate who goes first, so no server always follows the same one.
  const order = targets.map((_, i) => targets[(i + cycle) % targets.length]);
  for (const target of order) {
    const { answered, ticks, ms } = await turn(target);
    target.answered += answered;
    target.ticks += ticks;
    target.ms += ms;
    target.cycles.push({ answered, ticks });
  }
}
for (const target of targets) for (const socket of target.sockets) socket.destroy();

// One turn is too short to compare on its own (a turn's rate moved up to 2× between neighbouring turns of the
// same server on this machine); the ratio is taken over blocks of BLOCK cycles, the spread over the blocks.
const BLOCK = Math.max(1, Math.floor(CYCLES / 5));
function blockRates(target) {
  const rates = [];
  for (let start = 0; start + BLOCK <= CYCLES; start += BLOCK) {
    const block = target.cycles.slice(start, start + BLOCK);
    const answered = block.reduce((sum, c) => sum + c.answered, 0);
    const ticks = block.reduce((sum, c) => sum + c.ticks, 0);
    rates.push(answered / (ticks / TICKS_PER_SECOND));
  }
  return rates;
}
const [first] = targets;
const firstRates = blockRates(first);
const ratios = {};
for (const target of targets.slice(1)) {
  ratios[`${target.name}/${first.name}`] = blockRates(target).map((x, i) => x / firstRates[i]);
}
console.log(
  JSON.stringify({
    servers: targets.map((t) => ({
      name: t.name,
      answered: t.answered,
      cpuSeconds: t.ticks / TICKS_PER_SECOND,
      perCpu: t.answered / (t.ticks / TICKS_PER_SECOND),
      // Server CPU ÷ wall time of its turns: near 1, the server was the limit, not this client.
      busy: t.ticks / TICKS_PER_SECOND / (t.ms / 1000),
      blocks: blockRates(t),
    })),
    ratios,
  }),
);
