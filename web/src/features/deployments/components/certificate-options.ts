import type { CertificateSummary } from '@certdesk/shared/types';

export interface CertificateOption {
  value: string;
  label: string;
  disabled: boolean;
}

export function certificateName(c: Pick<CertificateSummary, 'commonName' | 'subject' | 'name'>): string {
  return c.name ?? c.commonName ?? c.subject;
}

/** Deployable certificates: a key is needed for the key files; expired and superseded ones say why not. */
export function certificateOptions(
  items: CertificateSummary[] | undefined,
  keep?: number,
): CertificateOption[] {
  return (items ?? [])
    .filter((c) => c.hasKey || c.id === keep)
    .map((c) => {
      const why = c.expired
        ? ' — expired'
        : c.status === 'superseded'
          ? ' — replaced by a newer version'
          : '';
      return {
        value: String(c.id),
        label: `#${c.id} ${certificateName(c)} (until ${c.notAfter.slice(0, 10)})${why}`,
        disabled: (c.expired || c.status === 'superseded') && c.id !== keep,
      };
    });
}
