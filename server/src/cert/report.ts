import type { CheckId, CheckStatus, ReportCheck } from '@certdesk/shared';
import type { ErrorCode } from '@certdesk/shared/errors';
import type { ChainResult } from './chain.js';
import { hostMatches, leafKeyProblem, serverAuthProblem, WEB_SIGNATURES } from './web-profile.js';
import { type CertInfo, SIGNATURE_ALGORITHMS } from './x509-info.js';

/**
 * The pre-flight report (PRODUCT.md §4) and the policy that says which checks block an import.
 * Blocking checks answer pass/fail; the others pass/warn, so "fail" always means "refused".
 */

export const POLICY: { id: CheckId; title: string; blocks: boolean; description: string }[] = [
  {
    id: 'key-match',
    title: 'Private key matches the certificate',
    blocks: true,
    description:
      'An uploaded key that does not belong to the certificate is refused; a certificate without any key is kept as "pending key" (warning).',
  },
  {
    id: 'not-expired',
    title: 'Not expired',
    blocks: true,
    description: 'An expired certificate breaks every client.',
  },
  {
    id: 'not-yet-valid',
    title: 'Already valid',
    blocks: true,
    description: 'A certificate whose validity starts in the future is refused by clients until then.',
  },
  {
    id: 'validity-period',
    title: 'Validity within the CA/B Forum limit',
    blocks: true,
    description:
      "The CA/Browser Forum maximum validity in force on the certificate's notBefore date: 398 days before 2026-03-15, 200 days from 2026-03-15, 100 days from 2027-03-15, 47 days from 2029-03-15. Over the limit, a certificate from a public CA is refused (browsers reject it); from a private CA it is a warning.",
  },
  {
    id: 'key-strength',
    title: 'Key strength',
    blocks: true,
    description:
      'RSA keys under 2048 bits (or not a whole number of bytes), EC keys on curves other than P-256/P-384/P-521, and other key types are refused; P-521 warns (fewer clients support it).',
  },
  {
    id: 'signature-algorithm',
    title: 'SHA-2 signature',
    blocks: true,
    description:
      'Browsers accept RSA or ECDSA signatures with SHA-256, SHA-384 or SHA-512; SHA-1, MD5 and other algorithms are refused.',
  },
  {
    id: 'server-auth',
    title: 'Allowed for TLS servers',
    blocks: true,
    description:
      'A certificate whose extended key usage omits serverAuth (1.3.6.1.5.5.7.3.1) is refused. No extended key usage, or anyExtendedKeyUsage, is refused under a public CA (CA/B Forum) and a warning under a private CA.',
  },
  {
    id: 'server-names',
    title: 'Covers the server names',
    blocks: false,
    description: 'Each host name in Server Settings should be in the subject alternative names (warning).',
  },
  {
    id: 'self-signed',
    title: 'Not self-signed',
    blocks: false,
    description: 'Self-signed certificates are only trusted where installed by hand (warning).',
  },
  {
    id: 'replacement',
    title: 'Outlasts the certificate it replaces',
    blocks: false,
    description:
      'A renewal (from a renewal CSR, or for the same names as a stored certificate) that expires before the certificate it replaces is a warning.',
  },
  {
    id: 'chain',
    title: 'Chain complete and trusted',
    blocks: true,
    description:
      'The chain must be complete, ordered and verify to a trust anchor (Mozilla roots or an enterprise root added under Trust anchors).',
  },
];

const BLOCKS = new Map(POLICY.map((p) => [p.id, p.blocks]));
const TITLES = new Map(POLICY.map((p) => [p.id, p.title]));

/** Error code for a refused import, by the first failing blocking check. */
export const BLOCK_CODES: Record<CheckId, ErrorCode> = {
  'key-match': 'KEY_MISMATCH',
  'not-expired': 'CERTIFICATE_EXPIRED',
  'not-yet-valid': 'CERTIFICATE_NOT_YET_VALID',
  'validity-period': 'VALIDITY_TOO_LONG',
  'key-strength': 'KEY_TOO_WEAK',
  'signature-algorithm': 'WEAK_SIGNATURE',
  'server-auth': 'EKU_NOT_SERVER_AUTH',
  'server-names': 'IMPORT_BLOCKED',
  'self-signed': 'IMPORT_BLOCKED',
  chain: 'CHAIN_NOT_TRUSTED',
  replacement: 'IMPORT_BLOCKED',
};

/** CA/Browser Forum maximum validity (BR §6.3.2), by the first notBefore date it applies to. */
export const LIFETIME_LIMITS: { from: string | null; maxDays: number }[] = [
  { from: null, maxDays: 398 },
  { from: '2026-03-15', maxDays: 200 },
  { from: '2027-03-15', maxDays: 100 },
  { from: '2029-03-15', maxDays: 47 },
];

/** The limit in force on `notBefore` (UTC dates, inclusive). */
export function maxValidityDays(notBefore: Date): number {
  const day = notBefore.toISOString().slice(0, 10);
  let max = LIFETIME_LIMITS[0]?.maxDays as number;
  for (const l of LIFETIME_LIMITS) if (l.from === null || day >= l.from) max = l.maxDays;
  return max;
}

export type KeyState =
  | { kind: 'match'; description: string }
  | { kind: 'none' }
  | { kind: 'mismatch'; description: string };

export interface ReportInput {
  leaf: CertInfo;
  key: KeyState;
  chain: ChainResult;
  serverNames: string[];
  now: Date;
  /** Expiry warning thresholds in days (Settings); the largest one warns at import. Default [30, 14, 7]. */
  expiryThresholds?: number[];
  /** The stored certificate this one renews, when there is one. */
  replaces?: { label: string; notAfter: Date } | null;
}

const DAY = 86_400_000;
/** 2027-02-20 06:05 UTC: unambiguous and readable in a sentence. */
const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function check(id: CheckId, ok: boolean, good: string, bad: string): ReportCheck {
  const blocks = BLOCKS.get(id) ?? false;
  const status: CheckStatus = ok ? 'pass' : blocks ? 'fail' : 'warn';
  return { id, title: TITLES.get(id) ?? id, status, message: ok ? good : bad, blocks };
}

export function certLabel(c: CertInfo): string {
  return `${c.commonName ?? c.subject.replace(/\n/g, ', ')} (serial ${c.serialNumber})`;
}

/** RFC 6125: a wildcard stands for exactly one left-most label; IP addresses compare as addresses. */
export function nameCovered(host: string, sans: string[]): boolean {
  return hostMatches(host, sans);
}

export function buildChecks(input: ReportInput): ReportCheck[] {
  const { leaf, key, chain, serverNames, now } = input;
  const checks: ReportCheck[] = [];
  const who = certLabel(leaf);
  // Public: the chain ends at a root of the bundled Mozilla store, where browsers enforce the CA/B rules.
  const publicCa = chain.ok && chain.anchor?.builtInRoot === true;

  if (key.kind === 'none') {
    checks.push({
      id: 'key-match',
      title: TITLES.get('key-match') as string,
      status: 'warn',
      blocks: true,
      message:
        'No private key was uploaded and none is stored for this certificate. It will be kept as "pending key": upload the key file (or the PFX) to use it for HTTPS.',
    });
  } else {
    checks.push(
      check(
        'key-match',
        key.kind === 'match',
        `The private key (${key.description}) matches the certificate.`,
        `The private key ${key.description} does not belong to the certificate ${who}. Upload the key that was generated with this certificate's CSR.`,
      ),
    );
  }

  const daysLeft = Math.floor((leaf.notAfter.getTime() - now.getTime()) / DAY);
  const warnWithin = Math.max(0, ...(input.expiryThresholds ?? [30, 14, 7]));
  if (now <= leaf.notAfter && daysLeft <= warnWithin) {
    checks.push(
      softWarn(
        'not-expired',
        `The certificate expires on ${when(leaf.notAfter)}, in ${daysLeft} day(s): within the ${warnWithin}-day expiry warning. Renew it now rather than deploy it.`,
      ),
    );
  } else {
    checks.push(
      check(
        'not-expired',
        now <= leaf.notAfter,
        `Valid until ${when(leaf.notAfter)} (${daysLeft} days left).`,
        `The certificate expired on ${when(leaf.notAfter)}. Renew it with your CA and import the new one.`,
      ),
    );
  }
  checks.push(
    check(
      'not-yet-valid',
      now >= leaf.notBefore,
      `Valid since ${when(leaf.notBefore)}.`,
      `The certificate is not valid until ${when(leaf.notBefore)}. Check the server clock, or import it after that date.`,
    ),
  );

  checks.push(validityPeriodCheck(leaf, publicCa));

  const keyProblem = leafKeyProblem(leaf);
  const k = leaf.keyInfo;
  const keyText = k ? (k.keyType === 'rsa' ? `RSA ${k.keySize} bits` : `ECDSA ${k.curve}`) : 'Key';
  if (keyProblem) {
    checks.push(
      check(
        'key-strength',
        false,
        '',
        `The certificate's key is refused by clients: ${keyProblem} Generate a new CSR with RSA 2048 or more, or ECDSA P-256.`,
      ),
    );
  } else if (k?.curve === 'P-521') {
    checks.push(
      softWarn('key-strength', 'ECDSA P-521 is not supported by every client; prefer P-256 or P-384.'),
    );
  } else {
    checks.push(check('key-strength', true, `${keyText}.`, ''));
  }

  const sig = SIGNATURE_ALGORITHMS[leaf.signatureAlgorithm] ?? {
    name: leaf.signatureAlgorithm,
    hash: 'other' as const,
  };
  checks.push(
    check(
      'signature-algorithm',
      WEB_SIGNATURES.has(leaf.signatureAlgorithm),
      `Signed with ${sig.name}.`,
      `Signed with ${sig.name}; ${sig.hash === 'md5' || sig.hash === 'sha1' ? 'clients reject this weak hash' : 'browsers do not accept this algorithm on certificates'}. Ask your CA to reissue with SHA-256.`,
    ),
  );

  const strict = serverAuthProblem(leaf, true);
  const always = serverAuthProblem(leaf, false);
  if (strict && !always && !publicCa) {
    // No EKU or anyExtendedKeyUsage: what browsers still take from a private CA, not from a public one.
    checks.push(
      softWarn(
        'server-auth',
        `${strict} Clients accept it from a private CA today, but request a certificate with serverAuth.`,
      ),
    );
  } else {
    checks.push(
      check(
        'server-auth',
        strict === null,
        'Extended key usage includes TLS Web Server Authentication.',
        `${strict} Request a "web server" / "TLS server" certificate from your CA.`,
      ),
    );
  }

  const sans = leaf.dnsNames.length || leaf.ipAddresses.length ? [...leaf.dnsNames, ...leaf.ipAddresses] : [];
  const missing = serverNames.filter((n) => !nameCovered(n, sans));
  checks.push(
    check(
      'server-names',
      missing.length === 0,
      serverNames.length
        ? `The SANs cover ${serverNames.join(', ')}.`
        : 'No server names are configured in Server Settings yet; nothing to compare.',
      `The SANs (${sans.join(', ') || 'none'}) do not cover ${missing.join(', ')}. Clients reaching the server by ${missing.length > 1 ? 'these names' : 'this name'} will see a name mismatch: request a certificate that includes ${missing.length > 1 ? 'them' : 'it'}, or change the server names.`,
    ),
  );

  checks.push(
    check(
      'self-signed',
      !leaf.selfSigned,
      'Issued by a certificate authority.',
      'The certificate is self-signed: only clients where it was installed by hand will trust it. For production use a certificate from your CA.',
    ),
  );

  checks.push(replacementCheck(leaf, input.replaces ?? null));

  if (chain.ok) {
    const anchorName = chain.anchor ? certLabel(chain.anchor) : '';
    const viaIntermediate =
      chain.anchor && !chain.anchor.selfSigned && chain.anchor !== leaf
        ? ` The trust anchor is an intermediate CA trusted on its own; it is sent to clients with the chain.`
        : '';
    const verified =
      (chain.chain.length
        ? `Complete chain of ${chain.chain.length} certificate(s) after the leaf, in order, verifying to the trust anchor ${anchorName}.`
        : `The certificate verifies directly to the trust anchor ${anchorName}.`) + viaIntermediate;
    if (chain.lints.length === 0) checks.push(check('chain', true, verified, ''));
    else if (publicCa)
      checks.push(
        check(
          'chain',
          false,
          '',
          `${verified} But it breaks the CA/Browser Forum profile a public CA must follow: ${chain.lints.join(' ')} Ask the CA to reissue it.`,
        ),
      );
    else
      checks.push(
        softWarn(
          'chain',
          `${verified} It breaks RFC 5280 / the CA/Browser Forum profile in ways browsers still accept from a private CA: ${chain.lints.join(' ')}`,
        ),
      );
  } else {
    const extra = leaf.selfSigned
      ? ' A self-signed certificate can only chain to itself: add it under Trust anchors if you want to trust it, then check again.'
      : '';
    const message = `The chain does not verify to a trust anchor: ${chain.problems.join(' ')}${extra}`;
    checks.push({
      ...check('chain', false, '', message),
      ...(/Trust anchors/.test(message) ? { link: '/trust-anchors' } : {}),
    });
  }
  return checks;
}

function softWarn(id: CheckId, message: string): ReportCheck {
  return { id, title: TITLES.get(id) ?? id, status: 'warn', message, blocks: BLOCKS.get(id) ?? false };
}

/** BR §6.3.2: validity period is notAfter − notBefore + 1 second, against the limit on its notBefore. */
function validityPeriodCheck(leaf: CertInfo, publicCa: boolean): ReportCheck {
  const seconds = (leaf.notAfter.getTime() - leaf.notBefore.getTime()) / 1000 + 1;
  const days = Math.ceil(seconds / 86_400);
  const max = maxValidityDays(leaf.notBefore);
  const since = leaf.notBefore.toISOString().slice(0, 10);
  if (seconds <= max * 86_400)
    return check(
      'validity-period',
      true,
      `Validity period is ${days} days (limit ${max} for certificates issued ${since}).`,
      '',
    );
  const over = `Validity period is ${days} days, over the ${max} days the CA/Browser Forum allows for certificates issued on ${since}.`;
  if (publicCa)
    return check(
      'validity-period',
      false,
      '',
      `${over} Browsers refuse it; ask your CA to reissue it within the limit.`,
    );
  return softWarn(
    'validity-period',
    `${over} Fine for a private CA that clients trust by hand; a public CA may not issue it.`,
  );
}

function replacementCheck(leaf: CertInfo, replaces: ReportInput['replaces']): ReportCheck {
  if (!replaces) return check('replacement', true, 'It replaces no stored certificate.', '');
  return check(
    'replacement',
    leaf.notAfter >= replaces.notAfter,
    `It expires after the certificate it replaces, ${replaces.label} (${when(replaces.notAfter)}).`,
    `It expires on ${when(leaf.notAfter)}, before the certificate it replaces, ${replaces.label}, which runs until ${when(replaces.notAfter)}: deploying it would shorten the time left. Check that this is the renewal you meant.`,
  );
}

export function isBlocked(checks: ReportCheck[]): ReportCheck | undefined {
  return checks.find((c) => c.status === 'fail' && c.blocks);
}
