import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createTestApp, login, multipart, type TestApp, tempDir } from './support/app.js';
import { type Issued, TestPki } from './support/pki.js';

/**
 * The certdesk commands as real processes (exit codes, real stdin, the launcher), on a data directory a
 * running app also uses. The in-process coverage of each command is in cli.test.ts.
 */

const serverDir = path.resolve(import.meta.dirname, '..');
const repoRoot = path.resolve(serverDir, '..');
const run = promisify(execFile);

describe('certdesk CLI as a child process', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let dataDir: string;
  const pki = new TestPki();
  const work = tempDir('certdesk-cli-process-');
  let root: Issued;
  let ica: Issued;
  let importedId: number;

  const count = (table: string) =>
    (app.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const file = (name: string, data: string | Buffer) => {
    const p = path.join(work, name);
    fs.writeFileSync(p, data);
    return p;
  };

  before(async () => {
    ({ app, close, dataDir } = await createTestApp());
    const s = await login(app);
    root = pki.root('CLI Process Root CA');
    ica = pki.intermediate('CLI Process Issuing CA', root);
    const mp = multipart([{ name: 'file', filename: 'root.pem', data: root.certPem }]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/trust-anchors',
      payload: mp.payload,
      headers: { ...s.headers, ...mp.headers },
    });
    assert.equal(res.statusCode, 201, res.body);
  });
  after(async () => {
    await close();
    pki.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('from source as a child process: import with the PFX password on real stdin; refused import exits 2', {
    timeout: 60_000,
  }, async () => {
    const l = pki.leaf('child.cli.example.test', ica);
    const pfx = file('child.pfx', pki.pfx(l, [ica], 'child pw'));
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'src/cli.ts', 'import', pfx, '--password-stdin'],
      {
        cwd: serverDir,
        env: { ...process.env, CERTDESK_DATA_DIR: dataDir },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    child.stdin.end('child pw\n');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    const m = /Imported as certificate (\d+)/.exec(stdout);
    assert.ok(m, stdout);
    importedId = Number(m[1]);
    assert.equal(app.certificates.get(importedId)?.common_name, 'child.cli.example.test');

    const fresh = pki.leaf('child-refused.cli.example.test', ica);
    const other = pki.leaf('child-other.cli.example.test', ica);
    const refused = await run(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        'src/cli.ts',
        'import',
        file('child.crt', fresh.certPem),
        file('child-other.key', other.keyPem),
      ],
      { cwd: serverDir, env: { ...process.env, CERTDESK_DATA_DIR: dataDir }, timeout: 30_000 },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(refused.code, 2, 'refused input is exit code 2 from the real process');
    assert.match(refused.stderr, /^certdesk import: KEY_MISMATCH: /m);
  });

  /**
   * The real launcher (bin/certdesk.js, what `npx certdesk` runs) needs server/dist. The test compiles
   * shared and server with tsc into a private copy of the repository layout under .tmp/ (gitignored)
   * instead of running `npm run build` in place: rebuilding server/dist would race other processes that
   * run it (e2e, `npm start`), and a stale shared/dist could break the compiled server; a private build
   * of the current sources has neither problem. The launcher file itself is copied byte for byte.
   */
  test('through the real launcher bin/certdesk.js: --help lists the commands, <command> --help, list --json, reset-https', {
    timeout: 240_000,
  }, async () => {
    fs.mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
    const layout = fs.mkdtempSync(path.join(repoRoot, '.tmp', 'cli-launcher-'));
    try {
      const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      const shared = path.join(layout, 'node_modules', '@certdesk', 'shared');
      const build = async (project: string, outDir: string) => {
        const res = await run(
          process.execPath,
          [tsc, '-p', project, '--outDir', outDir, '--sourceMap', 'false', '--declaration', 'false'],
          {
            cwd: repoRoot,
            timeout: 180_000,
          },
        ).catch((e: { stdout: string }) => e);
        // tsc still emits when some other file has a type error; say so loudly, the typecheck is elsewhere.
        if (res.stdout)
          console.log(`tsc ${project} reported type errors (output still emitted):\n${res.stdout}`);
      };
      await build('shared/tsconfig.json', path.join(shared, 'dist'));
      fs.copyFileSync(path.join(repoRoot, 'shared', 'package.json'), path.join(shared, 'package.json'));
      await build('server/tsconfig.build.json', path.join(layout, 'server', 'dist'));
      fs.mkdirSync(path.join(layout, 'bin'));
      fs.copyFileSync(path.join(repoRoot, 'bin', 'certdesk.js'), path.join(layout, 'bin', 'certdesk.js'));
      fs.copyFileSync(path.join(serverDir, 'package.json'), path.join(layout, 'server', 'package.json'));
      fs.writeFileSync(path.join(layout, 'package.json'), '{ "type": "module" }\n');
      assert.ok(
        fs.existsSync(path.join(layout, 'server', 'dist', 'cli.js')),
        'tsc emitted server/dist/cli.js',
      );

      const launcher = (args: string[]) =>
        run(process.execPath, [path.join(layout, 'bin', 'certdesk.js'), ...args], {
          cwd: repoRoot,
          env: { ...process.env, CERTDESK_DATA_DIR: dataDir },
          timeout: 30_000,
        });
      const help = await launcher(['--help']);
      for (const name of ['reset-https', 'import', 'list', 'export']) {
        assert.match(help.stdout, new RegExp(`^  ${name} +\\S`, 'm'), `--help lists ${name}`);
      }
      const exportHelp = await launcher(['export', '--help']);
      assert.match(exportHelp.stdout, /^certdesk export <id> --format pem\|chain\|fullchain\|der\|key\|pfx/);
      assert.match(exportHelp.stdout, /--pfx-password-env VAR/);
      const list = await launcher(['list', '--json']);
      const body = JSON.parse(list.stdout) as { total: number; items: { id: number }[] };
      assert.equal(body.total, count('certificates'));
      assert.ok(body.items.some((i) => i.id === importedId));
      const reset = await launcher(['reset-https']);
      assert.match(reset.stdout, /HTTPS mode (is now|was already) off/);
      const unknown = await launcher(['frobnicate']).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /Unknown command "frobnicate"/);
    } finally {
      fs.rmSync(layout, { recursive: true, force: true });
    }
  });
});
