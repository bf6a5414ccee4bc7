import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { inert, type NotificationMessage } from './message.js';
import type { SendLimits } from './smtp.js';

export type WebhookFormat = 'json' | 'slack' | 'teams';

const COLORS = { info: '2E7D32', warning: 'F59F00', critical: 'C92A2A' } as const;

/** The request body for each receiver: plain JSON, a Slack incoming webhook, a Teams connector card. */
export function webhookBody(format: WebhookFormat, m: NotificationMessage): unknown {
  if (format === 'slack') {
    const facts = m.facts.map((f) => `*${inert(f.name)}:* ${inert(f.value)}`).join('\n');
    return {
      text: `${m.subject}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: m.subject.slice(0, 150) } },
        { type: 'section', text: { type: 'mrkdwn', text: inert(m.summary) } },
        ...(facts ? [{ type: 'section', text: { type: 'mrkdwn', text: facts } }] : []),
        ...(m.link
          ? [
              {
                type: 'actions',
                elements: [
                  { type: 'button', text: { type: 'plain_text', text: 'Open in certdesk' }, url: m.link },
                ],
              },
            ]
          : []),
      ],
    };
  }
  if (format === 'teams') {
    // Office 365 connector MessageCard: accepted by Teams incoming webhooks and Workflows alike.
    return {
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: m.subject,
      themeColor: COLORS[m.severity],
      title: m.subject,
      sections: [
        { text: inert(m.summary), facts: m.facts.map((f) => ({ name: f.name, value: inert(f.value) })) },
      ],
      potentialAction: m.link
        ? [{ '@type': 'OpenUri', name: 'Open in certdesk', targets: [{ os: 'default', uri: m.link }] }]
        : [],
    };
  }
  return {
    event: m.event,
    subject: m.subject,
    summary: m.summary,
    severity: m.severity,
    at: m.at,
    certificateId: m.certificateId,
    facts: m.facts,
    link: m.link,
  };
}

/** scheme://host[:port] of a webhook address: its path and query may be the receiver's secret. */
export function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'webhook';
  }
}

/**
 * POSTs the notification. A redirect is not followed (it would carry the body elsewhere) and counts as a
 * failure; the answer must be 2xx within the time limit. The receiver's body is read (bounded) and dropped.
 */
export function postWebhook(
  url: string,
  format: WebhookFormat,
  message: NotificationMessage,
  limits: SendLimits,
): Promise<string> {
  const body = Buffer.from(JSON.stringify(webhookBody(format, message)));
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': body.length,
          'user-agent': 'certdesk-notify',
        },
        timeout: limits.timeoutMs,
        ...(target.protocol === 'https:' && limits.extraCa?.length
          ? { ca: [...rootCertificates, ...limits.extraCa] }
          : {}),
      },
      (res) => {
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > 64 * 1024) res.destroy();
        });
        res.on('error', () => undefined);
        res.on('close', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(`${webhookOrigin(url)} answered ${status}.`);
          else if (status >= 300 && status < 400)
            reject(new Error(`${webhookOrigin(url)} answered ${status} (a redirect, not followed).`));
          else reject(new Error(`${webhookOrigin(url)} answered ${status}.`));
        });
      },
    );
    const overall = setTimeout(
      () =>
        req.destroy(new Error(`${webhookOrigin(url)} did not answer within ${limits.timeoutMs / 1000} s.`)),
      limits.timeoutMs,
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${webhookOrigin(url)} did not answer within ${limits.timeoutMs / 1000} s.`)),
    );
    req.on('error', (err) => reject(new Error(webhookError(url, err))));
    req.on('close', () => clearTimeout(overall));
    req.end(body);
  });
}

function webhookError(url: string, err: NodeJS.ErrnoException): string {
  const origin = webhookOrigin(url);
  if (err.code === 'ECONNREFUSED') return `${origin} refused the connection.`;
  if (err.code === 'ENOTFOUND') return `${origin}: the host name does not resolve.`;
  // The message of a URL-carrying error could contain the path: keep only the origin.
  return `${origin}: ${(err.message ?? String(err)).replaceAll(url, origin).slice(0, 200)}`;
}
