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

/**
 * For a new SNI binding: only what can be served now (its key stored, valid today). Unlike the default
 * certificate's list, the rest is left out rather than shown disabled: the inventory holds every expired
 * version, and a binding list is for choosing. Any key type can be bound beside the default.
 */
export function bindableChoices(
  items: CertificateSummary[] | undefined,
  now = Date.now(),
): CertificateChoice[] {
  const servable = (items ?? []).filter((c) => c.hasKey && !c.expired && Date.parse(c.notBefore) <= now);
  return certificateChoices(servable);
}
