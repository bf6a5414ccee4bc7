import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';

/**
 * Where local targets may write: absolute, normalised paths whose real parent directory (symbolic links
 * resolved) lies under one of CERTDESK_DEPLOY_ROOTS. A link inside a root that points outside it is
 * refused, so the browser can never widen what the server's configuration allows.
 */

const RESERVED = /\.certdesk-previous$|\.certdesk-[0-9a-f]+\.tmp$/;

function within(dir: string, root: string): boolean {
  return dir === root || dir.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** The path's shape alone: absolute, normalised, a file name that is not one of ours. For any target kind. */
export function checkPathShape(p: string, field = 'files'): string {
  const refuse = (why: string) =>
    new AppError('PATH_NOT_ALLOWED', `${JSON.stringify(p)}: ${why}`, { field, path: p });
  if (p.includes('\0')) throw refuse('a path cannot contain a NUL character.');
  if (!path.isAbsolute(p)) throw refuse('give an absolute path (starting with "/").');
  if (path.normalize(p) !== p || p.endsWith('/')) {
    throw refuse(`write it in normal form (${path.normalize(p).replace(/\/$/, '')}): no "..", "." or "//".`);
  }
  if (RESERVED.test(path.basename(p))) throw refuse("this file name is reserved for certdesk's own copies.");
  return p;
}

/** The deepest directory of `dir` that exists, resolved through symbolic links. */
function realExistingAncestor(dir: string): string {
  for (let cur = dir; ; cur = path.dirname(cur)) {
    try {
      return fs.realpathSync(cur);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || cur === '/') throw err;
    }
  }
}

/**
 * Checks a local path against the roots. `requireParent` (at deploy time) needs the directory to exist;
 * when creating a target a missing directory is allowed as long as what exists of it is under a root.
 */
export function checkLocalPath(
  p: string,
  roots: string[],
  opts: { requireParent?: boolean; field?: string } = {},
): string {
  const field = opts.field ?? 'files';
  if (roots.length === 0) throw new AppError('DEPLOY_DISABLED', undefined, { field: 'kind' });
  checkPathShape(p, field);
  const parent = path.dirname(p);
  const realRoots = roots.map((r) => {
    try {
      return fs.realpathSync(r);
    } catch {
      return r;
    }
  });
  const refuse = (why: string) =>
    new AppError('PATH_NOT_ALLOWED', `${p}: ${why} Allowed directories: ${roots.join(', ')}.`, {
      field,
      path: p,
    });
  if (!roots.some((r) => within(parent, r)) && !realRoots.some((r) => within(parent, r))) {
    throw refuse('this path is outside the directories certdesk may write to.');
  }
  let real: string;
  try {
    real = opts.requireParent ? fs.realpathSync(parent) : realExistingAncestor(parent);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (opts.requireParent && (code === 'ENOENT' || code === 'ENOTDIR')) {
      throw new AppError(
        'DEPLOY_WRITE_FAILED',
        `${p}: the directory ${parent} does not exist or is not a directory.`,
        {
          path: p,
        },
      );
    }
    throw err;
  }
  if (!realRoots.some((r) => within(real, r))) {
    throw refuse(
      `its directory resolves to ${real} through a symbolic link, outside the allowed directories.`,
    );
  }
  return p;
}
