import fs from 'node:fs';
import path from 'node:path';

/**
 * What bounds deployment targets, read from the environment at start-up: the directories local targets may
 * write under and the reload hooks they may run. Both are the server's own configuration, never typed into
 * the browser; a bad value stops the start with a sentence saying what to fix.
 */

export interface DeployHook {
  name: string;
  /** argv, run without a shell. */
  command: string[];
  timeoutSeconds: number;
}

export interface DeploySettings {
  /** Absolute, normalised directories; empty when CERTDESK_DEPLOY_ROOTS is unset (local targets off). */
  roots: string[];
  hooks: Map<string, DeployHook>;
  /** Where the hooks came from, for the read-only view. */
  hooksFile: string | null;
  driftCheckMinutes: number;
}

export const DEFAULT_HOOK_TIMEOUT_SECONDS = 30;
const MAX_HOOK_TIMEOUT_SECONDS = 600;
const HOOK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function parseDeployRoots(value: string | undefined): string[] {
  if (!value) return [];
  const roots: string[] = [];
  for (const raw of value.split(':')) {
    if (raw === '') continue;
    if (!path.isAbsolute(raw)) {
      throw new Error(
        `CERTDESK_DEPLOY_ROOTS: "${raw}" is not an absolute directory (separate several with ":").`,
      );
    }
    const root = path.resolve(raw);
    if (root === '/')
      throw new Error('CERTDESK_DEPLOY_ROOTS: "/" would let targets write anywhere; name directories.');
    roots.push(root);
  }
  return roots;
}

/** Reads and validates the hooks file; throws an Error whose message names the file and the fault. */
export function loadDeployHooks(file: string | undefined): Map<string, DeployHook> {
  const hooks = new Map<string, DeployHook>();
  if (!file) return hooks;
  const where = `CERTDESK_DEPLOY_HOOKS (${file})`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${where}: cannot be read as JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${where}: expected an object { "<name>": { "command": ["argv0", ...] } }.`);
  }
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!HOOK_NAME.test(name)) {
      throw new Error(`${where}: hook name "${name}" must be letters, digits, ".", "_" or "-" (up to 100).`);
    }
    const entry = value as { command?: unknown; timeoutSeconds?: unknown } | null;
    const command = entry?.command;
    if (
      !Array.isArray(command) ||
      command.length === 0 ||
      !command.every((a) => typeof a === 'string' && !a.includes('\0'))
    ) {
      throw new Error(
        `${where}: hook "${name}" needs "command": a non-empty array of strings (argv, no shell).`,
      );
    }
    if (!path.isAbsolute(command[0] as string)) {
      throw new Error(`${where}: hook "${name}": the program "${command[0]}" must be an absolute path.`);
    }
    const timeout = entry?.timeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS;
    if (
      typeof timeout !== 'number' ||
      !Number.isFinite(timeout) ||
      timeout <= 0 ||
      timeout > MAX_HOOK_TIMEOUT_SECONDS
    ) {
      throw new Error(
        `${where}: hook "${name}": timeoutSeconds must be a number from 1 to ${MAX_HOOK_TIMEOUT_SECONDS}.`,
      );
    }
    hooks.set(name, { name, command: command as string[], timeoutSeconds: timeout });
  }
  return hooks;
}

export function loadDeploySettings(env: NodeJS.ProcessEnv): DeploySettings {
  const minutes =
    env.CERTDESK_DRIFT_CHECK_MINUTES === undefined || env.CERTDESK_DRIFT_CHECK_MINUTES === ''
      ? 60
      : Number(env.CERTDESK_DRIFT_CHECK_MINUTES);
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new Error(
      'CERTDESK_DRIFT_CHECK_MINUTES must be a number of minutes (0 turns the periodic check off).',
    );
  }
  return {
    roots: parseDeployRoots(env.CERTDESK_DEPLOY_ROOTS),
    hooks: loadDeployHooks(env.CERTDESK_DEPLOY_HOOKS || undefined),
    hooksFile: env.CERTDESK_DEPLOY_HOOKS || null,
    driftCheckMinutes: minutes,
  };
}
