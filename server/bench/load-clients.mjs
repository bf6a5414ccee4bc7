import fs from 'node:fs';
import readline from 'node:readline';

/**
 * The load test's clients, a process of their own (load.bench.ts pins it to another core than the server):
 * every signed-in session loops over a weighted mix of operations until the deadline.
 * argv: <plan.json> <phase name>. Prints "ready", waits for "go" on stdin (so the server's CPU time is read
 * just before the load starts), runs, prints one JSON line: latencies per operation, errors, wall seconds.
 */
/** @type {{ base: string, sessions: { cookie: string, csrf: string }[], ids: number[], words: string[], importFiles: { name: string, text: string }[], phases: Record<string, { seconds: number, weights: [string, number][] }> }} */
const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const phase = plan.phases[process.argv[3]];
if (!phase) throw new Error(`no phase ${process.argv[3]}`);
const rand = (n) => Math.floor(Math.random() * n);
const any = (arr) => arr[rand(arr.length)];

const ops = {
  health: () => fetch(`${plan.base}/api/health`),
  list: (s) =>
    fetch(`${plan.base}/api/certificates?limit=50&offset=${rand(200) * 50}&sort=notAfter`, {
      headers: { cookie: s.cookie },
    }),
  search: (s) =>
    fetch(
      `${plan.base}/api/certificates?q=${encodeURIComponent(any(plan.words))}${any(['', '&status=available', '&status=expired'])}`,
      { headers: { cookie: s.cookie } },
    ),
  detail: (s) => fetch(`${plan.base}/api/certificates/${any(plan.ids)}`, { headers: { cookie: s.cookie } }),
  dryRunImport: (s) => {
    const form = new FormData();
    for (const f of plan.importFiles) form.append('file', new Blob([f.text]), f.name);
    form.append('dryRun', 'true');
    return fetch(`${plan.base}/api/certificates`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      body: form,
    });
  },
  export: (s) =>
    fetch(`${plan.base}/api/certificates/${any(plan.ids)}/export`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ format: any(['pem', 'fullchain', 'der', 'chain']) }),
    }),
};
const total = phase.weights.reduce((n, [, w]) => n + w, 0);
function pick() {
  let r = Math.random() * total;
  for (const [name, w] of phase.weights) {
    r -= w;
    if (r < 0) return name;
  }
  return phase.weights[0][0];
}

console.log('ready');
const lines = readline.createInterface({ input: process.stdin });
await new Promise((resolve) => lines.once('line', resolve));
lines.close();

const latencies = {};
const errors = [];
const t0 = performance.now();
const until = Date.now() + phase.seconds * 1000;
await Promise.all(
  plan.sessions.map(async (s) => {
    while (Date.now() < until) {
      const name = pick();
      const t = performance.now();
      try {
        const res = await ops[name](s);
        await res.arrayBuffer();
        if (res.status >= 300) errors.push(`${name} → ${res.status}`);
      } catch (err) {
        errors.push(`${name} → ${err.message}`);
      }
      latencies[name] ??= [];
      latencies[name].push(performance.now() - t);
    }
  }),
);
console.log(JSON.stringify({ latencies, errors, seconds: (performance.now() - t0) / 1000 }));
process.exit(0);
