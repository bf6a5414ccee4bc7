import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectSsh } from '../src/deploy/ssh-transport.js';
import { createTestApp, login, tempDir } from '../test/support/app.js';
import { TestNginx } from '../test/support/nginx.js';
import { type Issued, makeLeaf, makePki } from '../test/support/pki.js';
import { freePort } from '../test/support/ports.js';
import { insertCertificate } from '../test/support/seed.js';
import { startSshd } from '../test/support/sshd.js';
import { startMultiNginx } from './support/multi-nginx.js';
import { type Result, rounds, type Side } from './support/rounds.js';
import { quick, range, resultFile, spread } from './support/stats.js';

/**
 * Deploy + reload + verify (issue 12, bench item 7), through certdesk's real deploy path
 * (POST /api/targets/:id/deploy of a built app: sealed key read, files written under a temporary name,
 * fsync, previous kept, rename, declared hook, TLS handshake compared with the deployed SHA-256, audit)
 * against what an administrator scripts: copy, `nginx -s reload`, `openssl s_client | openssl x509
 * -fingerprint` until the new certificate is served.
 *  1. One local nginx target: certdesk vs `cp` + reload + s_client loop, alternately, ≥ 5 rounds.
 *  2. TARGETS SSH targets (one loopback sshd, one directory each) behind ONE nginx with one server block
 *     per target (own port, own files): certdesk deploys all in parallel; the shell does scp + ssh reload +
 *     s_client per target, one after the other and with & / wait.
 * Each deployment swaps between two certificates so what nginx serves really changes every time.
 * Run from the repository root: node --conditions=source --import tsx server/bench/deploy.bench.ts
 */

const TARGETS = Number(process.env.DEPLOY_BENCH_TARGETS ?? (quick ? 4 : 20));
const ROUNDS_ONE = Number(process.env.DEPLOY_BENCH_ROUNDS ?? (quick ? 2 : 5));
const ROUNDS_MANY = Number(process.env.DEPLOY_BENCH_SSH_ROUNDS ?? (quick ? 1 : 3));
const POLL_S = 0.5; // the shell's pause between handshakes: certdesk's longest (DEFAULT_VERIFY_TIMING.intervalMs)
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

/** The shell's verify, the same bound as certdesk's (15 s window; a fixed 0.5 s pause, as a script would). */
const VERIFY_FN = `verify() { # port expected-sha256
  for i in $(seq 1 30); do
    fp=$(openssl s_client -connect 127.0.0.1:$1 -servername web.test </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256)
    fp=\${fp#*=}; fp=\${fp//:/}
    [ "$fp" = "$2" ] && { echo "TRIES $i"; return 0; }
    sleep ${POLL_S}
  done
  return 1
}`;

/** Handshakes each verify needed before it saw the new certificate, per side (1 = the first one did). */
const handshakes = new Map<string, number[]>();
const noteHandshakes = (side: string, n: number) =>
  handshakes.set(side, [...(handshakes.get(side) ?? []), n]);
/** What made a target fail, per side (first few), so a failure in the table is explained beside it. */
const failures = new Map<string, string[]>();
const noteFailure = (side: string, why: string) => {
  const seen = failures.get(side) ?? [];
  if (seen.length < 3) failures.set(side, [...seen, why.replace(/\s+/g, ' ').slice(0, 300)]);
};
/** certdesk's own step times (ms, per target), from the deploy response. */
const steps = new Map<string, number[]>();

/** Runs a bash script; returns how many "FAIL" lines it printed (one per target not verified). */
function bash(script: string, env: Record<string, string>, side: string): number {
  const r = spawnSync('bash', ['-c', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`shell exit ${r.status}: ${String(r.stderr)}`);
  const lines = String(r.stdout).split('\n');
  for (const l of lines) if (l.startsWith('TRIES ')) noteHandshakes(side, Number(l.slice(6)));
  for (const l of String(r.stderr).split('\n')) if (l.trim()) noteFailure(side, l);
  return lines.filter((l) => l.startsWith('FAIL')).length;
}

/** The median the tables print (nearest rank), so ratios and tables agree. */
const median = (xs: number[]) => spread(xs).p50;
function table(sides: Side[], results: Result[], targets: number, n: number): string[] {
  const base = median((results[0] as Result).wall);
  return [
    '| Side | wall ms min / median / max | × certdesk (median) | targets not verified (of all rounds) | handshakes until the new certificate was seen, min / median / max |',
    '|---|---|---|---|---|',
    ...sides.map((s, i) => {
      const r = results[i] as Result;
      return `| ${s.name} | ${range(r.wall)} | ${(median(r.wall) / base).toFixed(2)} | ${r.failed} of ${targets * n} | ${range(handshakes.get(s.name) ?? [])} |`;
    }),
    '',
    `certdesk's own step times per target (ms, min / median / max, warm-up included): ${[
      'write',
      'hook',
      'verify',
    ]
      .map((st) => `${st} ${range(steps.get(`${sides[0]?.name} ${st}`) ?? [])}`)
      .join('; ')}.`,
    ...sides.flatMap((side) =>
      (failures.get(side.name) ?? []).map((why) => `- failure or stderr seen (${side.name}): \`${why}\``),
    ),
  ];
}

const loadStart = load();
const work = tempDir('certdesk-deploy-bench-');
const root = path.join(work, 'root');
fs.mkdirSync(path.join(root, 'ssl'), { recursive: true });
const pki = await makePki();
const leaves = [
  await makeLeaf(pki.intermediate, {
    cn: 'web.test',
    sans: ['web.test', '127.0.0.1'],
    key: { type: 'rsa', size: 2048 },
  }),
  await makeLeaf(pki.intermediate, {
    cn: 'web.test',
    sans: ['web.test', '127.0.0.1'],
    key: { type: 'rsa', size: 2048 },
  }),
] as [Issued, Issued];
const fps = leaves.map((l) => l.cert.fingerprint256.replace(/:/g, ''));
// The shell's sources: the same two pairs, as fullchain.pem + key.pem in pair0/ and pair1/.
for (const [i, leaf] of leaves.entries()) {
  fs.mkdirSync(path.join(work, `pair${i}`));
  fs.writeFileSync(path.join(work, `pair${i}`, 'fullchain.pem'), leaf.certPem + pki.intermediate.certPem);
  fs.writeFileSync(path.join(work, `pair${i}`, 'key.pem'), leaf.keyPem, { mode: 0o600 });
}
const seedFiles = (cert: string, key: string) => {
  fs.copyFileSync(path.join(work, 'pair0', 'fullchain.pem'), cert);
  fs.copyFileSync(path.join(work, 'pair0', 'key.pem'), key);
};

const certFile = path.join(root, 'ssl', 'web.crt');
const keyFile = path.join(root, 'ssl', 'web.key');
seedFiles(certFile, keyFile);
const nginx = new TestNginx({ certFile, keyFile });
const sshd = await startSshd();
const stops: (() => Promise<void>)[] = [() => sshd.stop(), () => nginx.stop()];
try {
  await nginx.start();
  const dirs = Array.from({ length: TARGETS }, (_, i) => path.join(sshd.dir, `t${i}`));
  const servers = [];
  for (const dir of dirs) {
    fs.mkdirSync(dir);
    seedFiles(path.join(dir, 'fullchain.pem'), path.join(dir, 'key.pem'));
    servers.push({ port: await freePort(), certFile: `${dir}/fullchain.pem`, keyFile: `${dir}/key.pem` });
  }
  const multi = await startMultiNginx(servers);
  stops.push(() => multi.stop());

  const hooksFile = path.join(work, 'hooks.json');
  fs.writeFileSync(
    hooksFile,
    JSON.stringify({
      'nginx-reload': { command: nginx.reloadArgv(), timeoutSeconds: 30 },
      'multi-reload': { command: multi.reloadArgv, timeoutSeconds: 30 },
    }),
  );
  // Production verify timing (15 s window, pauses 50 ms doubling up to 0.5 s), log level info as the bench rules ask.
  const { app, close } = await createTestApp(
    { CERTDESK_DEPLOY_ROOTS: root, CERTDESK_DEPLOY_HOOKS: hooksFile, CERTDESK_LOG_LEVEL: 'info' },
    { deploy: { connectSsh } },
  );
  stops.unshift(close);
  const session = await login(app);
  const call = async (method: 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
  const certIds = leaves.map((leaf, i) => insertCertificate(app, { leaf, pki, name: `web ${i}` }).id);
  const create = async (body: object) => {
    const res = await call('POST', '/api/targets', body);
    if (res.statusCode !== 201) throw new Error(`create target: ${res.body}`);
    return (res.json() as { id: number }).id;
  };
  const files = (cert: string, key: string) => [
    { path: cert, content: 'fullchain' },
    { path: key, content: 'key', mode: '0600' },
  ];
  /** certdesk: bind the targets to the other certificate (untimed), then deploy them all at once. */
  const certdesk = (name: string, ids: number[], next: () => number): Side => {
    let pair = 0;
    return {
      name,
      prepare: async () => {
        pair = next();
        for (const id of ids) {
          const r = await call('PATCH', `/api/targets/${id}`, { certificateId: certIds[pair] });
          if (r.statusCode !== 200) throw new Error(`patch: ${r.body}`);
        }
      },
      run: async () => {
        const res = await Promise.all(ids.map((id) => call('POST', `/api/targets/${id}/deploy`)));
        for (const r of res) {
          const body = r.json() as { probe?: { attempts?: number }; steps?: { step: string; ms: number }[] };
          if (body.probe?.attempts) noteHandshakes(name, body.probe.attempts);
          for (const st of body.steps ?? [])
            steps.set(`${name} ${st.step}`, [...(steps.get(`${name} ${st.step}`) ?? []), st.ms]);
        }
        const failed = res.filter((r) => r.statusCode !== 200 || r.json().fingerprintSha256 !== fps[pair]);
        for (const f of failed.slice(0, 2)) console.error(`certdesk deploy failed: ${f.body.slice(0, 400)}`);
        for (const f of failed)
          noteFailure(
            name,
            (f.json() as { message?: string; hookOutputTail?: string }).message +
              ' ' +
              ((f.json() as { hookOutputTail?: string }).hookOutputTail ?? ''),
          );
        return failed.length;
      },
    };
  };
  /** The shell: the script with the other pair as $SRC and its SHA-256 as $WANT. */
  const shell = (
    name: string,
    script: string,
    next: () => number,
    env: Record<string, string> = {},
  ): Side => {
    let pair = 0;
    return {
      name,
      prepare: async () => {
        pair = next();
      },
      run: async () =>
        bash(script, { ...env, SRC: path.join(work, `pair${pair}`), WANT: fps[pair] as string }, name),
    };
  };

  // ---- 1. one nginx target ----
  let servedOne = 0;
  const nextOne = () => {
    servedOne = 1 - servedOne;
    return servedOne;
  };
  const oneId = await create({
    name: 'nginx-local',
    certificateId: certIds[0],
    kind: 'local',
    files: files(certFile, keyFile),
    hook: 'nginx-reload',
    verify: { host: '127.0.0.1', port: nginx.port, serverName: 'web.test' },
  });
  const oneShell = `${VERIFY_FN}
cp "$SRC/fullchain.pem" "$CERT" && cp "$SRC/key.pem" "$KEY" && ${nginx.reloadArgv().join(' ')} && verify $PORT $WANT || echo FAIL`;
  const onePart: Side[] = [
    certdesk('certdesk: POST /api/targets/:id/deploy (local files, hook, verify)', [oneId], nextOne),
    shell('shell: cp + nginx -s reload + openssl s_client until served', oneShell, nextOne, {
      CERT: certFile,
      KEY: keyFile,
      PORT: String(nginx.port),
    }),
  ];

  // ---- 2. TARGETS SSH targets, one nginx with a server block per target ----
  let servedMany = 0;
  const nextMany = () => {
    servedMany = 1 - servedMany;
    return servedMany;
  };
  const manyIds: number[] = [];
  for (const [i, dir] of dirs.entries()) {
    manyIds.push(
      await create({
        name: `ssh-${i}`,
        certificateId: certIds[0],
        kind: 'ssh',
        ssh: {
          host: sshd.host,
          port: sshd.port,
          username: sshd.username,
          hostKeySha256: sshd.hostKeySha256,
          privateKey: sshd.clientKey,
        },
        files: files(`${dir}/fullchain.pem`, `${dir}/key.pem`),
        hook: 'multi-reload',
        verify: { host: '127.0.0.1', port: multi.ports[i], serverName: 'web.test' },
      }),
    );
  }
  const knownHosts = path.join(work, 'known_hosts');
  fs.writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
  const sshOpts = `-i ${sshd.clientKeyPath} -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes -o LogLevel=ERROR`;
  const at = `${sshd.username}@${sshd.host}`;
  const perTarget = `scp -q ${sshOpts} -P ${sshd.port} "$SRC/fullchain.pem" "$SRC/key.pem" ${at}:"$dir/" && ssh ${sshOpts} -p ${sshd.port} ${at} '${multi.reloadArgv.join(' ')}' && verify "$port" "$WANT" || echo "FAIL $dir"`;
  const pairs = dirs.map((d, i) => `${d}:${multi.ports[i]}`).join(' ');
  const loopShell = `${VERIFY_FN}
for t in ${pairs}; do dir=\${t%:*}; port=\${t##*:}
  ${perTarget}
done`;
  const parShell = `${VERIFY_FN}
for t in ${pairs}; do dir=\${t%:*}; port=\${t##*:}
  ( ${perTarget} ) &
done
wait`;
  const manyPart: Side[] = [
    certdesk(`certdesk: ${TARGETS} × POST /api/targets/:id/deploy at once (SSH)`, manyIds, nextMany),
    shell('shell loop: scp + ssh nginx -s reload + s_client, one target after another', loopShell, nextMany),
    shell('the same shell loop with & and wait', parShell, nextMany),
  ];

  // Warm-up (untimed): every side of part 1 once; in part 2 certdesk and the parallel shell once (JIT, first
  // connections, binaries in the page cache; the sequential loop runs the same commands as the parallel one).
  for (const side of [...onePart, manyPart[0] as Side, manyPart[2] as Side]) {
    await side.prepare();
    await side.run();
  }
  const loadOne = load();
  const oneResults = await rounds(onePart, ROUNDS_ONE, 'one nginx');
  const loadMany = load();
  const manyResults = await rounds(manyPart, ROUNDS_MANY, `${TARGETS} ssh`);
  const loadEnd = load();
  const loaded = [loadStart, loadOne, loadMany, loadEnd].some(
    (l) => Number(l.split(' / ')[0]) > os.cpus().length,
  );

  const ratio = (r: Result[], i: number) =>
    (median((r[i] as Result).wall) / median((r[0] as Result).wall)).toFixed(2);
  const summary = `One nginx target: certdesk deploy + reload + verify ${median((oneResults[0] as Result).wall).toFixed(0)} ms (median of ${ROUNDS_ONE}), the cp + reload + s_client shell ${ratio(oneResults, 1)}× that. ${TARGETS} SSH targets at once: certdesk ${median((manyResults[0] as Result).wall).toFixed(0)} ms (median of ${ROUNDS_MANY}); the scp + ssh reload + s_client loop ${ratio(manyResults, 1)}× that, the same loop with & / wait ${ratio(manyResults, 2)}×.`;
  const md = [
    '# Deploy benchmark: deploy + reload + verify',
    '',
    summary,
    '',
    `Machine: ${process.platform} ${process.arch}, ${os.cpus().length} cores, Node ${process.version}, ${spawnSync('ssh', ['-V']).stderr.toString().trim()}, ${spawnSync('/usr/sbin/nginx', ['-v']).stderr.toString().trim()}. ${loaded ? `**The machine was loaded** (1-minute load above the ${os.cpus().length} cores: other processes competed for the CPU${process.env.DEPLOY_BENCH_NOTE ? `; ${process.env.DEPLOY_BENCH_NOTE}` : ''}; absolute times are inflated, the ratios less so)` : 'Quiet machine (1-minute load at most the core count)'}: 1/5/15-minute load ${loadStart} at the start, ${loadOne} before part 1, ${loadMany} before part 2, ${loadEnd} at the end. Ratios come from the same run, sides interleaved with the order rotated each round${quick ? '. BENCH_QUICK: a smoke run, not a measurement' : ''}.`,
    '',
    'Two RSA-2048 certificates (same intermediate) alternate: every deployment, on either side, changes what nginx serves, and a side is done only when a TLS handshake shows the new SHA-256.',
    '',
    `## 1. One nginx target (local files), ${ROUNDS_ONE} rounds after one warm-up`,
    '',
    '- certdesk: `POST /api/targets/:id/deploy` through `app.inject` of the real app (createTestApp: SQLite, sealed keys, audit, log level info). Target: fullchain + key (0600) under `CERTDESK_DEPLOY_ROOTS`, hook `nginx -s reload` (declared in `CERTDESK_DEPLOY_HOOKS`), verify 127.0.0.1:<port> SNI web.test with the production timing (15 s window; 50 ms after the first handshake, doubling up to 0.5 s between later ones). Binding the target to the other certificate (`PATCH`) happens before the clock starts.',
    '- shell, exactly (`$SRC` = the other pair, `$WANT` = its SHA-256):',
    '',
    '```bash',
    oneShell,
    '```',
    '',
    ...table(onePart, oneResults, 1, ROUNDS_ONE),
    '',
    `## 2. ${TARGETS} SSH targets at once, ${ROUNDS_MANY} rounds`,
    '',
    `One OpenSSH server on 127.0.0.1 (ed25519 host key pinned on both sides, ed25519 client key) stands for the ${TARGETS} servers, one directory each; **one nginx** (1 worker) has ${TARGETS} TLS server blocks on ${TARGETS} ports, block i serving directory i's files. Every target's hook is \`nginx -s reload\` of that one nginx, run over SSH, and every target verifies its own port — so a round reloads the same nginx ${TARGETS} times (each reload re-reads all ${TARGETS} pairs), more work for nginx than ${TARGETS} separate servers would do, and the same on every side.`,
    '',
    `- certdesk: ${TARGETS} \`POST /api/targets/:id/deploy\` issued at once (Promise.all) to the same app; each opens its own SSH connection (SFTP: temporary name, fsync@openssh.com, previous kept as a hard link, posix-rename; then exec of the hook), then the handshake check.`,
    '- shell, exactly (`$SRC`/`$WANT` as above; the loop runs the per-target line in sequence, the parallel variant wraps it in `( … ) &` and ends with `wait`):',
    '',
    '```bash',
    loopShell,
    '```',
    '',
    ...table(manyPart, manyResults, TARGETS, ROUNDS_MANY),
    '',
    '## Reading',
    '',
    `- One target: certdesk needed ${range(handshakes.get(onePart[0]?.name ?? '') ?? [])} handshakes (min / median / max) to see the new certificate. \`nginx -s reload\` only signals the master and returns; a handshake made at once is often still answered by an old worker, and certdesk then pauses 50 ms (doubling each time, at most 0.5 s) before the next one, while the shell's first \`openssl s_client\` starts late enough (process start-up) to meet the new workers. Those pauses, not the writes (${range(steps.get(`${onePart[0]?.name} write`) ?? [])} ms) or the hook (${range(steps.get(`${onePart[0]?.name} hook`) ?? [])} ms), are most of certdesk's time on one target.`,
    `- ${TARGETS} targets: certdesk's time is dominated by the hook step (${range(steps.get(`${manyPart[0]?.name} hook`) ?? [])} ms per target): ${TARGETS} SSH exec channels each running \`nginx -s reload\` of the same nginx at once, on 2 loaded cores. The shell loops pay two SSH connections per target plus an \`openssl\` process pair per handshake; run one after the other they add up, and with & / wait they compete for the same cores.`,
    '',
    `- Part 2 shares one nginx between the ${TARGETS} targets, so one target's reload reads every other target's files. certdesk renames each file into place in turn (fullchain, then key, with a hard link of the previous version between), so a reload landing between the two renames of another target sees a new certificate with the old key: \`nginx -s reload\` then exits 1 (key values mismatch) and that target is rolled back — listed under the table when it happened. \`scp\` overwrites in place and has the same window, wider. Separate servers (one nginx each) do not share it.`,
    '',
    '## What each side does that the other does not',
    '',
    '- certdesk writes every file under a temporary name, fsyncs it, keeps the previous version beside it (`.certdesk-previous`) and renames it into place, so a reload never reads a half-written pair and a failure can be rolled back (files put back, hook run again: tested in server/test/routes/api/targets.test.ts). It also reads the target and the sealed private key from SQLite, decrypts the key, writes audit rows for each step and the last deployment, and opens one SSH connection per target (files and hook on the same connection).',
    '- `cp` / `scp` overwrite the files in place without fsync: nginx (or a reload triggered by another target sharing it) can load a certificate with the other key or a truncated file; nothing is kept to roll back to, and a failure is only a `FAIL` line. The SSH script opens two connections per target (scp, then ssh) and re-reads the key files from disk each time.',
    '- Both verify alike: a handshake with SNI, the served SHA-256 compared with the expected one, retried for up to 15 s — certdesk in-process with node:tls after 50 ms, 100 ms, 200 ms, 400 ms, then every 0.5 s; the shell every 0.5 s, starting `openssl s_client` and `openssl x509` each time.',
    '',
    'Run: `npm run bench -- deploy` (or `node --conditions=source --import tsx server/bench/deploy.bench.ts` from the repository root). `DEPLOY_BENCH_TARGETS`, `DEPLOY_BENCH_ROUNDS`, `DEPLOY_BENCH_SSH_ROUNDS` override the counts; `BENCH_QUICK=1` writes to bench/tmp/.',
    '',
  ].join('\n');
  const out = resultFile('deploy');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, md);
  console.error(summary);
} finally {
  for (const stop of stops) await stop().catch((e) => console.error(e));
  fs.rmSync(work, { recursive: true, force: true });
}
