import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the conformance suites' data lives (SOURCE.md): $CERTDESK_CONFORMANCE_DATA, else the
 * workplace's shared/conformance beside the repository, else test/conformance/data. null when none
 * holds `relative`, and the suite is skipped with a note saying where to put it.
 */
export function conformanceFile(relative: string): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const repo = path.resolve(here, '../../..');
  const dirs = [
    process.env.CERTDESK_CONFORMANCE_DATA,
    path.resolve(repo, '../shared/conformance'),
    path.join(here, 'data'),
  ].filter((d): d is string => !!d);
  for (const d of dirs) {
    const p = path.join(d, relative);
    if (fs.existsSync(p)) return p;
  }
  return null;
}
