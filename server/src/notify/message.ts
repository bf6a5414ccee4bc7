/**
 * A notification as composed once, when its event happens, then rendered per channel (e-mail text,
 * JSON, Slack, Teams). It holds only what an administrator may read in a mailbox or a chat channel:
 * names, dates, a target's name, a link to the console — never a key, password, token or PEM.
 */
export interface NotificationMessage {
  /** expiring, expired, renewal-failed, deploy-failed, drift, or test. */
  event: string;
  subject: string;
  /** One paragraph, plain text. */
  summary: string;
  facts: { name: string; value: string }[];
  /** The console page to act on (certificate, target), absolute; null when the console's address is unknown. */
  link: string | null;
  severity: 'info' | 'warning' | 'critical';
  /** When the event happened (ISO 8601). */
  at: string;
  certificateId: number | null;
}

/** The text/plain body of an e-mail. */
export function plainText(m: NotificationMessage): string {
  const width = Math.max(...m.facts.map((f) => f.name.length), 0);
  return [
    m.summary,
    '',
    ...m.facts.map((f) => `${`${f.name}:`.padEnd(width + 2)}${f.value}`),
    ...(m.link ? ['', `Open in certdesk: ${m.link}`] : []),
    '',
    '-- ',
    'Sent by certdesk. Change what is sent under Notifications.',
  ].join('\n');
}

/** Text a receiver might render as markup, made inert (Slack mrkdwn, Teams markdown). */
export function inert(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
