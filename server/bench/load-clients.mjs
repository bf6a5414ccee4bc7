import { parentPort, workerData } from 'node:worker_threads';

/**
 * The load test's clients, in a worker thread so they do not share the server's event loop: each of
 * CLIENTS signed-in sessions loops over a weighted mix of operations until the deadline.
 */
/** @type {{ base: string, seconds: number, sessions: { cookie: string, csrf: string }[], ids: number[], words: string[], importFiles: { name: string, text: string }[] }} */
const plan = workerData;
const rand = (n) => Math.floor(Math.random() * n);
const any = (arr) => arr[rand(arr.length)];

const ops = {
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
const weights = [
  ['list', 30],
  ['search', 25],
  ['detail', 20],
  ['dryRunImport', 10],
  ['export', 15],
];
function pick() {
  let r = Math.random() * 100;
  for (const [name, w] of weights) {
    r -= w;
    if (r < 0) return name;
  }
  return 'list';
}

const latencies = {};
const errors = [];
const until = Date.now() + plan.seconds * 1000;
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
parentPort?.postMessage({ latencies, errors });
