import type { NotificationEvent } from '@certdesk/shared';
import type { NotificationMessage } from '../notify/message.js';
import type { CertificateRow } from '../store/certificates.js';
import type { DomainEvents } from './events.js';

/** What a message may say about a certificate: names and dates, nothing else of the row. */
export interface CertificateFacts {
  id: number;
  label: string;
  subjectAltNames: string[];
  issuer: string;
  notAfter: string;
}

export function certificateFacts(row: CertificateRow): CertificateFacts {
  let sans: string[] = [];
  try {
    sans = JSON.parse(row.subject_alt_names) as string[];
  } catch {
    sans = [];
  }
  return {
    id: row.id,
    label: row.name ?? row.common_name ?? sans[0] ?? `certificate #${row.id}`,
    subjectAltNames: sans,
    issuer:
      row.issuer
        .split('\n')
        .find((l) => l.startsWith('CN='))
        ?.slice(3) ??
      row.issuer.split('\n')[0] ??
      '',
    notAfter: row.not_after,
  };
}

/**
 * Text that came from elsewhere (a deployment's or a CA's error) goes in as one bounded line, without any
 * PEM block or anything shaped like a credential in a URL or header.
 */
export function scrub(text: string): string {
  return text
    .replace(/-----BEGIN [^-]+-----[\s\S]*?(-----END [^-]+-----|$)/g, '[PEM removed]')
    .replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, '//[credentials removed]@')
    .replace(/\b(authorization|password|passwd|secret|token)\b\s*[:=]\s*\S+/gi, '$1: [removed]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

const day = (iso: string) => iso.slice(0, 10);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function certificateLines(c: CertificateFacts): { name: string; value: string }[] {
  const names = c.subjectAltNames.slice(0, 5).join(', ') + (c.subjectAltNames.length > 5 ? ', …' : '');
  return [
    { name: 'Certificate', value: `${c.label} (#${c.id})` },
    ...(names ? [{ name: 'Names', value: names }] : []),
    ...(c.issuer ? [{ name: 'Issuer', value: c.issuer }] : []),
    { name: 'Expires', value: c.notAfter },
  ];
}

export type DeliverableEvent =
  | 'certificate-expiring'
  | 'certificate-expired'
  | 'renewal-failed'
  | 'deploy-failed'
  | 'drift';

/** The settings' event names for each domain event delivered. */
export const SETTINGS_EVENT: Record<DeliverableEvent, NotificationEvent> = {
  'certificate-expiring': 'expiring',
  'certificate-expired': 'expired',
  'renewal-failed': 'renewal-failed',
  'deploy-failed': 'deploy-failed',
  drift: 'drift',
};

/** Composes the message of one domain event; `link` is the console's certificate page. */
export function composeMessage<E extends DeliverableEvent>(
  event: E,
  payload: DomainEvents[E],
  cert: CertificateFacts | null,
  link: string | null,
  at: string,
): NotificationMessage {
  const base = { event: SETTINGS_EVENT[event], link, at, certificateId: cert?.id ?? null };
  const facts = cert ? certificateLines(cert) : [];
  const label = cert?.label ?? `certificate #${(payload as { certificateId: number }).certificateId}`;
  switch (event) {
    case 'certificate-expiring': {
      const p = payload as DomainEvents['certificate-expiring'];
      return {
        ...base,
        severity: p.daysLeft <= 7 ? 'critical' : 'warning',
        subject: `Certificate ${label} expires in ${plural(p.daysLeft, 'day')} (${day(p.notAfter)})`,
        summary: `The certificate ${label} expires on ${day(p.notAfter)}: renew it and deploy the new one before then.`,
        facts: [...facts, { name: 'Reminder', value: p.threshold }],
      };
    }
    case 'certificate-expired': {
      const p = payload as DomainEvents['certificate-expired'];
      return {
        ...base,
        severity: 'critical',
        subject: `Certificate ${label} expired on ${day(p.notAfter)}`,
        summary: `The certificate ${label} expired on ${day(p.notAfter)}. Clients that are still served it refuse the connection.`,
        facts,
      };
    }
    case 'renewal-failed': {
      const p = payload as DomainEvents['renewal-failed'];
      return {
        ...base,
        severity: 'critical',
        subject: `Renewal of ${label} failed (attempt ${p.attempt})`,
        summary: `The automatic renewal of ${label} failed. It is retried; the current certificate stays in place.`,
        facts: [...facts, { name: 'Error', value: scrub(p.message) }],
      };
    }
    default: {
      const p = payload as DomainEvents['deploy-failed'];
      const drift = event === 'drift';
      return {
        ...base,
        severity: drift ? 'warning' : 'critical',
        subject: drift
          ? `${scrub(p.targetName)} serves another certificate than ${label}`
          : `Deployment of ${label} to ${scrub(p.targetName)} failed`,
        summary: drift
          ? `The target ${scrub(p.targetName)} does not serve the certificate certdesk deployed there.`
          : `The certificate ${label} could not be deployed to ${scrub(p.targetName)}; the target keeps what it had.`,
        facts: [
          ...facts,
          { name: 'Target', value: scrub(p.targetName) },
          { name: 'Detail', value: scrub(p.message) },
        ],
      };
    }
  }
}

export function testMessage(link: string | null, at: string): NotificationMessage {
  return {
    event: 'test',
    subject: 'certdesk test notification',
    summary:
      'This is a test from certdesk: notifications about expiring certificates, failed renewals and deployments reach this channel.',
    facts: [{ name: 'Sent at', value: at }],
    link,
    severity: 'info',
    at,
    certificateId: null,
  };
}
