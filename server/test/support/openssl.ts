import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Runs the openssl CLI (fixtures are made at test time, never checked in). Returns stdout. */
export function openssl(args: string[], input?: string | Buffer): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Like openssl() but also gives stderr and the exit status instead of throwing. */
export function opensslResult(
  args: string[],
  input?: string | Buffer,
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('openssl', args, { input });
  return { status: r.status ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** A scratch directory for openssl input/output files; remove it with the returned cleanup. */
export function scratch(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-openssl-'));
  return {
    dir,
    file: (name) => path.join(dir, name),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
