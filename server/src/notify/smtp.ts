import { createRequire } from 'node:module';
import { rootCertificates } from 'node:tls';
import type Nodemailer from 'nodemailer';
import { type NotificationMessage, plainText } from './message.js';

const require = createRequire(import.meta.url);
let lib: typeof Nodemailer | undefined;
/** Loaded on the first e-mail, not at every start (nodemailer is ~0.1 s of CPU to load). */
function nodemailer(): typeof Nodemailer {
  lib ??= require('nodemailer') as typeof Nodemailer;
  return lib;
}

export interface SmtpOptions {
  host: string;
  port: number;
  security: 'starttls' | 'tls' | 'none';
  username?: string;
  password?: string;
  from: string;
  to: string[];
}

export interface SendLimits {
  /** Connect, greeting and each socket wait; the whole send is also cut off after three times this. */
  timeoutMs: number;
  /** Roots to verify the server with besides the system ones (the console's trust anchors). */
  extraCa?: string[];
}

/**
 * Sends one e-mail. STARTTLS is required when chosen (no silent fallback to plain text); 'tls' is
 * implicit TLS (port 465); 'none' never upgrades. Certificates are verified. nodemailer's own logger
 * stays off: it would print the AUTH exchange.
 */
export async function sendMail(
  o: SmtpOptions,
  message: NotificationMessage,
  limits: SendLimits,
): Promise<string> {
  const transport = nodemailer().createTransport({
    host: o.host,
    port: o.port,
    secure: o.security === 'tls',
    requireTLS: o.security === 'starttls',
    ignoreTLS: o.security === 'none',
    auth: o.username ? { user: o.username, pass: o.password ?? '' } : undefined,
    connectionTimeout: limits.timeoutMs,
    greetingTimeout: limits.timeoutMs,
    socketTimeout: limits.timeoutMs,
    dnsTimeout: limits.timeoutMs,
    logger: false,
    debug: false,
    tls: {
      minVersion: 'TLSv1.2',
      ...(limits.extraCa?.length ? { ca: [...rootCertificates, ...limits.extraCa] } : {}),
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const sent = transport.sendMail({
      from: o.from,
      to: o.to,
      subject: message.subject,
      text: plainText(message),
      headers: { 'X-Certdesk-Event': message.event },
    });
    const overall = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`The SMTP server did not finish within ${(3 * limits.timeoutMs) / 1000} s.`)),
        3 * limits.timeoutMs,
      );
    });
    const info = await Promise.race([sent, overall]);
    return `Accepted by ${o.host} for ${info.accepted.length} recipient(s).`;
  } catch (err) {
    throw new Error(smtpError(err));
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

/** nodemailer's error as one sentence, without the SMTP command it sent (AUTH carries the password). */
function smtpError(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  if (e.code === 'EAUTH')
    return `The SMTP server refused the user name or password (${e.responseCode ?? 'no code'}).`;
  if (e.response) return `The SMTP server answered: ${e.response.slice(0, 200)}`;
  return (e.message ?? String(err)).slice(0, 300);
}
