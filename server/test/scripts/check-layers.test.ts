import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

/** scripts/check-layers.mjs (run by `npm run lint`) on small made-up trees. */

const SCRIPT = path.resolve(import.meta.dirname, '../../../scripts/check-layers.mjs');
const roots: string[] = [];

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-layers-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

function check(root: string, ...flags: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [SCRIPT, '--root', root, ...flags], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

after(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

describe('layer check', () => {
  test('a tree whose imports point one way passes and says how many cross-layer imports it checked', () => {
    const { code, out } = check(
      tree({
        // A commented-out import is no import.
        'server/src/cert/pem.ts': "// import { y } from '../store/things.js';\nexport const x = 1;\n",
        'server/src/store/things.ts': "import { x } from '../cert/pem.js';\nexport const y = x;\n",
        'server/src/services/use.ts': "import type { y } from '../store/things.js';\n",
        'server/src/routes/api/r.ts': "import {\n  y,\n} from '../../store/things.js';\n",
      }),
    );
    assert.equal(code, 0, out);
    assert.match(out, /3 cross-layer imports checked, 0 wrong-way, 0 cycles/);
  });

  test('wrong-way imports, packages cert/ may not use, SQL outside store/ and cycles fail the run', () => {
    const { code, out } = check(
      tree({
        'server/src/cert/a.ts': "import { s } from '../store/s.js';\nimport fp from 'fastify-plugin';\n",
        'server/src/store/s.ts': "import type { U } from '../services/u.js';\nexport const s = 1;\n",
        'server/src/services/u.ts': "export type U = 1;\nimport '../routes/api/r.js';\n",
        'server/src/routes/api/r.ts': "db.prepare('SELECT 1').get();\nconst m = /x/.exec(text);\n",
        'server/src/cli.ts': "import { b } from './cli/b.js';\nexport const a = 1;\n",
        'server/src/cli/b.ts': "import { a } from '../cli.js';\nexport const b = a;\n",
      }),
    );
    assert.equal(code, 1, out);
    assert.match(out, /server\/src\/cert\/a\.ts imports server\/src\/store\/s\.ts \(cert\/ → store\/\)/);
    assert.match(out, /server\/src\/cert\/a\.ts imports 'fastify-plugin'/);
    assert.match(out, /server\/src\/store\/s\.ts imports server\/src\/services\/u\.ts/);
    assert.match(out, /server\/src\/services\/u\.ts imports server\/src\/routes\/api\/r\.ts/);
    assert.match(out, /server\/src\/routes\/api\/r\.ts runs SQL \(1 call\)/);
    assert.match(out, /import cycle: server\/src\/cli\.ts → server\/src\/cli\/b\.ts → server\/src\/cli\.ts/);
    assert.match(out, /4 wrong-way, 1 cycles, 1 files with SQL outside store\//);
  });

  test('cert/ may not use threads, files or the compute/ adapter; compute/ may use cert/ only', () => {
    const { code, out } = check(
      tree({
        'server/src/cert/kdf.ts': 'export const derive = 1;\n',
        'server/src/cert/a.ts':
          "import { Worker } from 'node:worker_threads';\nimport fs from 'node:fs';\n" +
          "import { readFile } from 'fs/promises';\nimport { cryptoPool } from '../compute/pool.js';\n",
        'server/src/compute/pool.ts':
          "import { derive } from '../cert/kdf.js';\nexport const cryptoPool = derive;\n",
        'server/src/compute/bad.ts': "import { audit } from '../services/audit.js';\n",
        'server/src/services/audit.ts':
          "import { cryptoPool } from '../compute/pool.js';\nexport const audit = 1;\n",
      }),
    );
    assert.equal(code, 1, out);
    assert.match(out, /server\/src\/cert\/a\.ts imports 'node:worker_threads'/);
    assert.match(out, /server\/src\/cert\/a\.ts imports 'node:fs'/);
    assert.match(out, /server\/src\/cert\/a\.ts imports 'fs\/promises'/);
    assert.match(
      out,
      /server\/src\/cert\/a\.ts imports server\/src\/compute\/pool\.ts \(cert\/ → compute\/\)/,
    );
    assert.match(
      out,
      /server\/src\/compute\/bad\.ts imports server\/src\/services\/audit\.ts \(compute\/ → services\/\)/,
    );
    // compute/ → cert/ and services/ → compute/ are the right way.
    assert.match(out, /5 wrong-way, 0 cycles/);
  });

  test('a web feature importing another is a warning, an error with --web-errors', () => {
    const root = tree({
      'web/src/features/tokens/list.tsx': "import { useAudit } from '../audit/api/get-audit.js';\n",
      'web/src/features/audit/api/get-audit.ts': 'export const useAudit = 1;\n',
    });
    const lenient = check(root);
    assert.equal(lenient.code, 0, lenient.out);
    assert.match(lenient.out, /warning: .*feature 'tokens' may not import feature 'audit'/);
    const strict = check(root, '--web-errors');
    assert.equal(strict.code, 1, strict.out);
    assert.match(strict.out, /error: .*feature 'tokens' may not import feature 'audit'/);
  });
});
