import type { CertificateSummary } from '@certdesk/shared/types';

export interface CertificateChoice {
  value: string;
  label: string;
  disabled: boolean;
}

/** Select options: what can be served is selectable; what cannot (no key, expired) says why. */
export function certificateChoices(items: CertificateSummary[] | undefined): CertificateChoice[] {
  return (items ?? []).map((c) => {
    const name = c.commonName ?? c.subject;
    const key = c.keyType === 'rsa' ? `RSA ${c.keySize ?? ''}` : `EC ${c.curve ?? ''}`;
    const why = !c.hasKey ? ' — no private key' : c.expired ? ' — expired' : '';
    return {
      value: String(c.id),
      label: `#${c.id} ${name} (${key.trim()}, until ${c.notAfter.slice(0, 10)})${why}`,
      disabled: !c.hasKey || c.expired,
    };
  });
}
