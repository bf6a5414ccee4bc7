import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { buildChain } from '../../src/cert/chain.js';
import { pemBlocks } from '../../src/cert/pem.js';
import { TrustStore } from '../../src/cert/trust-store.js';
import { coversHost, leafKeyProblem, serverAuthProblem } from '../../src/cert/web-profile.js';
import { type CertInfo, certInfo } from '../../src/cert/x509-info.js';
import { conformanceFile } from './data-dir.js';
import { LIMBO_EXCEPTIONS } from './limbo-exceptions.js';

// x509-limbo (SOURCE.md): every SERVER testcase through the pure core with the web PKI profile, at the
// testcase's validation time (a fixed date when it has none: its certificates span 1970-2969).

interface PeerName {
  kind: 'DNS' | 'IP' | 'RFC822';
  value: string;
}
interface Testcase {
  id: string;
  conflicts_with: string[];
  features: string[] | null;
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  key_usage: string[] | null;
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name: PeerName | null;
  expected_peer_names: PeerName[] | null;
  max_chain_depth: number | null;
}

const DEFAULT_TIME = new Date('2026-01-01T00:00:00Z');
const DIGITAL_SIGNATURE = 1;
const limboFile = conformanceFile('x509-limbo/limbo.json');

function parse(pem: string, source: string): CertInfo | null {
  const der = pemBlocks(pem)[0]?.der;
  if (!der) return null;
  try {
    return certInfo(der, source);
  } catch {
    return null;
  }
}

/** The verdict of the core for one testcase, and why when it refuses. */
export async function runLimboCase(tc: Testcase): Promise<{ ok: boolean; why: string }> {
  const leaf = parse(tc.peer_certificate, 'peer');
  if (!leaf) return { ok: false, why: 'the peer certificate cannot be read' };
  const anchors = tc.trusted_certs.map((p) => parse(p, 'trusted')).filter((c): c is CertInfo => c !== null);
  const pool = tc.untrusted_intermediates
    .map((p) => parse(p, 'intermediate'))
    .filter((c): c is CertInfo => c !== null);
  const chain = await buildChain({
    leaf,
    pool,
    trust: new TrustStore(anchors),
    now: tc.validation_time ? new Date(tc.validation_time) : DEFAULT_TIME,
    profile: 'web',
    strict: true,
    maxIntermediates: tc.max_chain_depth ?? undefined,
  });
  if (!chain.ok) return { ok: false, why: chain.problems.join(' ') };
  const purpose = serverAuthProblem(leaf) ?? leafKeyProblem(leaf);
  if (purpose) return { ok: false, why: purpose };
  if (
    tc.key_usage?.includes('digitalSignature') &&
    leaf.keyUsage !== null &&
    !(leaf.keyUsage & DIGITAL_SIGNATURE)
  )
    return { ok: false, why: 'keyUsage lacks digitalSignature' };
  const names = [
    ...(tc.expected_peer_names ?? []),
    ...(tc.expected_peer_name ? [tc.expected_peer_name] : []),
  ];
  for (const n of names) {
    if (n.kind !== 'RFC822' && !coversHost(leaf, n.value))
      return { ok: false, why: `does not cover ${n.value}` };
  }
  return { ok: true, why: '' };
}

test('x509-limbo SERVER testcases (web PKI profile)', {
  skip: limboFile ? false : 'x509-limbo data not present (see test/conformance/SOURCE.md)',
}, async (t) => {
  const suite = JSON.parse(fs.readFileSync(limboFile as string, 'utf8')) as { testcases: Testcase[] };
  const cases = suite.testcases.filter((c) => c.validation_kind === 'SERVER');
  const unexpected: string[] = [];
  const excepted: string[] = [];
  let agree = 0;
  for (const tc of cases) {
    const { ok, why } = await runLimboCase(tc);
    const expected = tc.expected_result === 'SUCCESS';
    if (ok === expected) {
      agree++;
      continue;
    }
    // An RFC 5280-only case that limbo itself marks as conflicting with a webpki:: case: the web
    // profile is the one certdesk applies, so the webpki:: verdict is the one to agree with.
    if (LIMBO_EXCEPTIONS[tc.id] || tc.conflicts_with.some((id) => id.startsWith('webpki::')))
      excepted.push(tc.id);
    else
      unexpected.push(`${tc.id}: expected ${tc.expected_result}, got ${ok ? 'SUCCESS' : `FAILURE (${why})`}`);
  }
  const stale = Object.keys(LIMBO_EXCEPTIONS).filter(
    (id) => cases.some((c) => c.id === id) && !excepted.includes(id),
  );
  const line = `x509-limbo: ${agree}/${cases.length} SERVER testcases agree (${((100 * agree) / cases.length).toFixed(1)}%), ${excepted.length} deliberate exception(s)`;
  t.diagnostic(line);
  console.log(line);
  assert.deepEqual(unexpected, [], 'testcases that disagree without a listed reason');
  assert.deepEqual(stale, [], 'listed exceptions that now agree: remove them from limbo-exceptions.ts');
});
