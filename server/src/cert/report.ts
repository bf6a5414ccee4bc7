import type { CheckId, CheckStatus, ReportCheck } from '@certdesk/shared';
import type { ErrorCode } from '@certdesk/shared/errors';
import type { ChainResult } from './chain.js';
import { describeKey } from './key-info.js';
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
    title: 'Validity at most 397 days',
    blocks: false,
    description:
      'Browsers reject public certificates valid for more than 398 days; private CAs may issue longer ones (warning).',
  },
  {
    id: 'key-strength',
    title: 'Key strength',
    blocks: true,
    description: 'RSA keys under 2048 bits are refused; EC keys on curves other than P-256/P-384 warn.',
  },
  {
    id: 'signature-algorithm',
    title: 'SHA-2 signature',
    blocks: false,
    description: 'SHA-1 and MD5 signatures are rejected by modern clients (warning).',
  },
  {
    id: 'server-auth',
    title: 'Allowed for TLS servers',
    blocks: true,
    description: 'A certificate whose extended key usage omits serverAuth (1.3.6.1.5.5.7.3.1) is refused.',
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
  'validity-period': 'IMPORT_BLOCKED',
  'key-strength': 'KEY_TOO_WEAK',
  'signature-algorithm': 'IMPORT_BLOCKED',
  'server-auth': 'EKU_NOT_SERVER_AUTH',
  'server-names': 'IMPORT_BLOCKED',
  'self-signed': 'IMPORT_BLOCKED',
  chain: 'CHAIN_NOT_TRUSTED',
};

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
}

const DAY = 86_400_000;
/** 2027-02-20 06:05 UTC: unambiguous and readable in a sentence. */
const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EKU = '2.5.29.37.0';

function check(id: CheckId, ok: boolean, good: string, bad: string): ReportCheck {
  const blocks = BLOCKS.get(id) ?? false;
  const status: CheckStatus = ok ? 'pass' : blocks ? 'fail' : 'warn';
  return { id, title: TITLES.get(id) ?? id, status, message: ok ? good : bad, blocks };
}

export function certLabel(c: CertInfo): string {
  return `${c.commonName ?? c.subject.replace(/\n/g, ', ')} (serial ${c.serialNumber})`;
}

/** RFC 6125: a wildcard stands for exactly one left-most label. */
export function nameCovered(host: string, sans: string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return sans.some((san) => {
    const s = san.toLowerCase().replace(/\.$/, '');
    if (s === h) return true;
    if (!s.startsWith('*.')) return false;
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === s.slice(2) && s.slice(2).includes('.');
  });
}

export function buildChecks({ leaf, key, chain, serverNames, now }: ReportInput): ReportCheck[] {
  const checks: ReportCheck[] = [];
  const who = certLabel(leaf);

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

  checks.push(
    check(
      'not-expired',
      now <= leaf.notAfter,
      `Valid until ${when(leaf.notAfter)} (${Math.floor((leaf.notAfter.getTime() - now.getTime()) / DAY)} days left).`,
      `The certificate expired on ${when(leaf.notAfter)}. Renew it with your CA and import the new one.`,
    ),
  );
  checks.push(
    check(
      'not-yet-valid',
      now >= leaf.notBefore,
      `Valid since ${when(leaf.notBefore)}.`,
      `The certificate is not valid until ${when(leaf.notBefore)}. Check the server clock, or import it after that date.`,
    ),
  );

  const days = Math.round((leaf.notAfter.getTime() - leaf.notBefore.getTime()) / DAY);
  checks.push(
    check(
      'validity-period',
      days <= 397,
      `Validity period is ${days} days.`,
      `Validity period is ${days} days, over the 397 days certdesk allows without warning (browsers refuse publicly-trusted certificates valid for more than 398 days). Fine for a private CA; otherwise ask your CA for a 1-year certificate.`,
    ),
  );

  const k = leaf.keyInfo ?? describeKey(leaf.publicKey);
  if (k.keyType === 'rsa') {
    checks.push(
      check(
        'key-strength',
        (k.keySize ?? 0) >= 2048,
        `RSA ${k.keySize} bits.`,
        `RSA ${k.keySize} bits is too weak; clients refuse it. Generate a new CSR with RSA 2048 or more, or ECDSA P-256.`,
      ),
    );
  } else {
    const good = k.curve === 'P-256' || k.curve === 'P-384';
    checks.push(
      good
        ? check('key-strength', true, `ECDSA ${k.curve}.`, '')
        : {
            id: 'key-strength',
            title: TITLES.get('key-strength') as string,
            status: 'warn',
            blocks: true,
            message: `ECDSA on curve ${k.curve} is not supported by every client; prefer P-256 or P-384.`,
          },
    );
  }

  const sig = SIGNATURE_ALGORITHMS[leaf.signatureAlgorithm] ?? {
    name: leaf.signatureAlgorithm,
    hash: 'other' as const,
  };
  checks.push(
    check(
      'signature-algorithm',
      sig.hash === 'sha2',
      `Signed with ${sig.name}.`,
      `Signed with ${sig.name}; ${sig.hash === 'other' ? 'an algorithm clients may not know' : 'clients reject this weak hash'}. Ask your CA to reissue with SHA-256.`,
    ),
  );

  const eku = leaf.extKeyUsage;
  checks.push(
    check(
      'server-auth',
      eku === null || eku.includes(SERVER_AUTH) || eku.includes(ANY_EKU),
      eku === null
        ? 'No extended key usage restriction: usable for TLS servers.'
        : 'Extended key usage includes TLS Web Server Authentication.',
      `The extended key usage (${(eku ?? []).join(', ')}) does not include serverAuth (1.3.6.1.5.5.7.3.1): clients will refuse it for a web server. Request a "web server" / "TLS server" certificate from your CA.`,
    ),
  );

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

  if (chain.ok) {
    const anchorName = chain.anchor ? certLabel(chain.anchor) : '';
    checks.push(
      check(
        'chain',
        true,
        chain.chain.length
          ? `Complete chain of ${chain.chain.length} intermediate(s), in order, verifying to the trust anchor ${anchorName}.`
          : `The certificate verifies directly to the trust anchor ${anchorName}.`,
        '',
      ),
    );
  } else {
    const extra = leaf.selfSigned
      ? ' A self-signed certificate can only chain to itself: add it under Trust anchors if you want to trust it, then check again.'
      : '';
    checks.push(
      check(
        'chain',
        false,
        '',
        `The chain does not verify to a trust anchor: ${chain.problems.join(' ')}${extra}`,
      ),
    );
  }
  return checks;
}

export function isBlocked(checks: ReportCheck[]): ReportCheck | undefined {
  return checks.find((c) => c.status === 'fail' && c.blocks);
}
