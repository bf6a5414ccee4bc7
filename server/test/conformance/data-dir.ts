import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's python3-cryptography-vectors (installed by `npm test`) ships the NIST PKITS certificates. */
const DEBIAN_PKITS = '/usr/lib/python3/dist-packages/cryptography_vectors/x509/PKITS_data';

/**
 * Where the conformance suites' data lives (SOURCE.md): $CERTDESK_CONFORMANCE_DATA, else the
 * workplace's shared/conformance beside the repository, else test/conformance/data, else (PKITS only)
 * the Debian package. null when none holds `relative`, and the suite is skipped with a note saying where
 * to put it.
 */
export function conformanceFile(relative: string): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const repo = path.resolve(here, '../../..');
  const candidates = [
    process.env.CERTDESK_CONFORMANCE_DATA,
    path.resolve(repo, '../shared/conformance'),
    path.join(here, 'data'),
  ]
    .filter((d): d is string => !!d)
    .map((d) => path.join(d, relative));
  // The package keeps the same file names under PKITS_data/certs instead of pkits/certs.
  if (relative.startsWith('pkits/'))
    candidates.push(path.join(DEBIAN_PKITS, relative.slice('pkits/'.length)));
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}
