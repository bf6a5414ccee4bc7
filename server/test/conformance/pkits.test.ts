import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildChain } from '../../src/cert/chain.js';
import { TrustStore } from '../../src/cert/trust-store.js';
import { type CertInfo, certInfo } from '../../src/cert/x509-info.js';
import { conformanceFile } from './data-dir.js';
import { PKITS_CASES } from './pkits-cases.js';

// NIST PKITS (SOURCE.md), the sections a web client meets: signatures, validity dates, name chaining,
// self-issued key rollover, basic constraints and path length, key usage, name constraints of every
// form, unknown extensions. Validated with the RFC 5280 profile: PKITS leaves are not server certificates.
// Sections left out: DSA (4.1.4-6, no browser accepts DSA), CRLs and revocation (4.4, 4.14, 4.15 and the
// CRL-only cases of 4.5 and 4.7), certificate policies (4.8-4.12), which browsers do not enforce.

const AT = new Date('2020-01-01T00:00:00Z');
const anchorFile = conformanceFile('pkits/certs/TrustAnchorRootCertificate.crt');

/** Deliberate differences from the PKITS verdict, by section, each with its reason. */
const EXCEPTIONS: Record<string, string> = {};

test('NIST PKITS (web-relevant subset)', {
  skip: anchorFile ? false : 'PKITS data not present (see test/conformance/SOURCE.md)',
}, async (t) => {
  const dir = path.dirname(anchorFile as string);
  const loaded = new Map<string, CertInfo>();
  const load = (name: string): CertInfo => {
    let c = loaded.get(name);
    if (!c) {
      c = certInfo(fs.readFileSync(path.join(dir, name)), name);
      loaded.set(name, c);
    }
    return c;
  };
  const trust = new TrustStore([load('TrustAnchorRootCertificate.crt')]);
  const ncCas = fs.readdirSync(dir).filter((f) => /^nameConstraints.*Cert\.crt$/.test(f));
  const mismatches: string[] = [];
  let agree = 0;
  for (const c of PKITS_CASES) {
    let valid = false;
    let why = '';
    try {
      const pool = (c.intermediates === 'name-constraint-cas' ? ncCas : c.intermediates).map(load);
      const r = await buildChain({
        leaf: load(c.leaf),
        pool,
        trust,
        now: AT,
        profile: 'rfc5280',
        strict: true,
      });
      valid = r.ok;
      why = r.problems.join(' ');
    } catch (err) {
      why = (err as Error).message;
    }
    if (valid === c.valid) agree++;
    else if (!EXCEPTIONS[c.section])
      mismatches.push(
        `${c.section} ${c.leaf}: PKITS says ${c.valid ? 'valid' : 'invalid'}, got ${valid ? 'valid' : `invalid (${why})`}`,
      );
  }
  const line = `PKITS: ${agree}/${PKITS_CASES.length} agree (${((100 * agree) / PKITS_CASES.length).toFixed(1)}%), ${Object.keys(EXCEPTIONS).length} known exception(s)`;
  t.diagnostic(line);
  console.log(line);
  assert.deepEqual(mismatches, []);
});
