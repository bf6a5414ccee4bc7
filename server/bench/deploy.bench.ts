import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectSsh } from '../src/deploy/ssh-transport.js';
import { startSshd } from '../test/support/sshd.js';
import { cpuSeconds } from './support/proc.js';
import { quick, range, resultFile } from './support/stats.js';

/**
 * Deployment over SSH to TARGETS targets at once (issue 12, bench item 7 — the SSH side only).
 * Measured per round, wall time from start to the last target done, plus CPU seconds of the deploying
 * side and of sshd (with its sessions):
 *  - certdesk: TARGETS × `connectSsh` (host key pinned, ed25519 key) → `writeFiles` (fullchain.pem + key.pem:
 *    temporary name, fsync, previous kept, posix-rename) → `runHook(['true'])` → `close`, all in parallel
 *    from one Node process (the transport the deploy service uses; no database, audit or TLS check).
 *  - shell loop: what an admin scripts: for each target `scp` both files (known_hosts file,
 *    StrictHostKeyChecking=yes, same key) then `ssh … true`, one target after the other.
 *  - shell loop, parallel: the same per-target commands started with `&` and `wait`.
 * The reload and the `openssl s_client` check are not in here (no service behind these targets): the nginx
 * reload and the TLS verification are timed by the deploy engine's part of this benchmark.
 * One sshd on loopback stands for the TARGETS servers (one directory each); MaxStartups is raised so
 * none of the parallel connections is dropped. Sides interleaved, order rotated per round.
 * Run from the repository root: node --conditions=source --import tsx server/bench/deploy.bench.ts
 */

const TARGETS = Number(process.env.DEPLOY_BENCH_TARGETS ?? (quick ? 4 : 20));
const ROUNDS = Number(process.env.DEPLOY_BENCH_ROUNDS ?? (quick ? 1 : 5));

/** CPU seconds of this process's waited-for children (bash, scp, ssh), from /proc/self/stat. */
function childrenCpu(): number {
  const text = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/**
 * CPU seconds of sshd: the listener and its live sessions, plus the sessions already ended and reaped
 * (cutime/cstime: a per-connection sshd is gone by the end of a round).
 */
function sshdCpu(pid: number): number {
  const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return cpuSeconds(pid) + (Number(fields[13]) + Number(fields[14])) / 100;
}

function ownCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

const sshd = await startSshd();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-deploy-bench-'));
try {
  // A real-sized pair: an RSA-2048 self-signed certificate (as fullchain) and its key.
  const keyPath = path.join(work, 'key.pem');
  const fullchainPath = path.join(work, 'fullchain.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=bench.example.test',
      '-days',
      '30',
      '-keyout',
      keyPath,
      '-out',
      fullchainPath,
    ],
    { stdio: 'ignore' },
  );
  const fullchain = fs.readFileSync(fullchainPath);
  const key = fs.readFileSync(keyPath);
  const knownHosts = path.join(work, 'known_hosts');
  fs.writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);

  const dirsFor = (side: string) =>
    Array.from({ length: TARGETS }, (_, i) => {
      const dir = path.join(sshd.dir, side, `target${i}`);
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    });
  const check = (dirs: string[], side: string) => {
    for (const dir of dirs) {
      const ok =
        fs.readFileSync(path.join(dir, 'fullchain.pem')).equals(fullchain) &&
        fs.readFileSync(path.join(dir, 'key.pem')).equals(key);
      if (!ok) throw new Error(`${side}: ${dir} does not hold the deployed files`);
    }
  };

  const certdeskDirs = dirsFor('certdesk');
  const certdesk = async () => {
    await Promise.all(
      certdeskDirs.map(async (dir) => {
        const t = await connectSsh({
          host: sshd.host,
          port: sshd.port,
          username: sshd.username,
          privateKey: sshd.clientKey,
          hostKeySha256: sshd.hostKeySha256,
          timeoutMs: 30_000,
        });
        try {
          await t.writeFiles([
            { path: `${dir}/fullchain.pem`, data: fullchain, mode: 0o644 },
            { path: `${dir}/key.pem`, data: key, mode: 0o600 },
          ]);
          const hook = await t.runHook(['true'], 30_000);
          if (hook.exitCode !== 0) throw new Error(`hook: ${JSON.stringify(hook)}`);
        } finally {
          await t.close();
        }
      }),
    );
    check(certdeskDirs, 'certdesk');
  };

  const ssh = `-i ${sshd.clientKeyPath} -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes -o LogLevel=ERROR`;
  const at = `${sshd.username}@${sshd.host}`;
  const perTarget = (dir: string) =>
    `scp -q ${ssh} -P ${sshd.port} ${fullchainPath} ${keyPath} ${at}:${dir}/ && ssh ${ssh} -p ${sshd.port} ${at} true`;
  const shellSide = (name: string, parallel: boolean) => {
    const dirs = dirsFor(name);
    const script = parallel
      ? `set -e\npids=""\n${dirs.map((d) => `(${perTarget(d)}) & pids="$pids $!"`).join('\n')}\nfor p in $pids; do wait $p; done\n`
      : `set -e\nfor dir in ${dirs.join(' ')}; do\n  ${perTarget('$dir')}\ndone\n`;
    return () => {
      const r = spawnSync('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
      if (r.status !== 0) throw new Error(`${name}: exit ${r.status}: ${String(r.stderr)}`);
      check(dirs, name);
    };
  };

  const sides: { name: string; run: () => unknown; client: () => number }[] = [
    {
      name: `certdesk (${TARGETS} connections in parallel, one Node process)`,
      run: certdesk,
      client: ownCpu,
    },
    {
      name: 'scp + ssh, shell loop (one target after another)',
      run: shellSide('loop', false),
      client: childrenCpu,
    },
    { name: 'scp + ssh, shell loop with & and wait', run: shellSide('parallel', true), client: childrenCpu },
  ];
  const results = sides.map(() => ({ wall: [] as number[], client: [] as number[], sshd: [] as number[] }));

  // Warm-up (page cache, sshd's first forks), then interleaved rounds, the order rotated each round.
  for (const side of sides) await side.run();
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < sides.length; k++) {
      const i = (round + k) % sides.length;
      const side = sides[i]!;
      const c0 = side.client();
      const s0 = sshdCpu(sshd.pid);
      const t0 = process.hrtime.bigint();
      await side.run();
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      results[i]!.wall.push(wall);
      results[i]!.client.push((side.client() - c0) * 1000);
      results[i]!.sshd.push((sshdCpu(sshd.pid) - s0) * 1000);
      console.log(`round ${round + 1} ${side.name}: ${wall.toFixed(0)} ms`);
    }
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const base = median(results[0]!.wall);
  const rows = sides.map(
    (side, i) =>
      `| ${side.name} | ${range(results[i]!.wall)} | ${(median(results[i]!.wall) / TARGETS).toFixed(1)} | ${range(results[i]!.client)} | ${range(results[i]!.sshd)} | ${(median(results[i]!.wall) / base).toFixed(2)} |`,
  );
  const loop = median(results[1]!.wall);
  const par = median(results[2]!.wall);
  const summary = `Deploying a certificate and key over SSH to ${TARGETS} targets and running a hook: certdesk takes ${base.toFixed(0)} ms (median of ${ROUNDS}), ${(loop / base).toFixed(1)}× faster than an scp + ssh shell loop (${loop.toFixed(0)} ms) and ${(par / base).toFixed(1)}× faster than the same loop run in parallel (${par.toFixed(0)} ms).`;
  const load = os.loadavg()[0]?.toFixed(2);
  const md = [
    '# Deploy benchmark (SSH side)',
    '',
    summary,
    '',
    `Machine: ${process.platform} ${process.arch}, ${os.cpus().length} cores, 1-minute load ${load} at the end, Node ${process.version}, ${spawnSync('ssh', ['-V']).stderr.toString().trim()}. ${ROUNDS} rounds after one warm-up, sides interleaved with the order rotated${quick ? ' (BENCH_QUICK: a smoke run, not a measurement)' : ''}.`,
    '',
    `What is measured: per round, the wall time until all ${TARGETS} targets hold the new fullchain.pem (${fullchain.length} bytes) and key.pem (${key.length} bytes) and ran the hook \`true\`; CPU of the deploying side (certdesk: this Node process; shell: bash + scp + ssh) and of sshd with its sessions. One OpenSSH server on 127.0.0.1 (ed25519 host key pinned on both sides, ed25519 client key) stands for the ${TARGETS} servers, one directory each, so network latency is ~0 and every side shares the same 2 cores with sshd.`,
    '',
    'Not measured here: the service reload on the targets and the TLS check of the served certificate (`openssl s_client` in the reference) — there is no service behind these directories; the deploy engine part of this benchmark times them against nginx.',
    '',
    'The sides do not do the same amount of safety work: certdesk writes each file under a temporary name, flushes it (fsync@openssh.com), keeps the previous version (hard link) and renames it into place (posix-rename), on one connection per target; `scp` writes over the files in place (a reader can see a half-written key) and the script opens two connections per target (scp, then ssh).',
    '',
    '| Side | wall ms min / median / max | ms per target (median) | deploying-side CPU ms min / median / max | sshd CPU ms min / median / max | × certdesk (median wall) |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  const out = resultFile('deploy');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, md);
  console.log(summary);
} finally {
  await sshd.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
