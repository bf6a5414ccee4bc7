import net from 'node:net';
import type { ServerSettingsUpdate } from '@certdesk/shared';
import { AppError } from '../errors.js';
import type { ServerSettings } from '../store/server-settings.js';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A host name clients type (FQDN, single label, `*.` wildcard for bindings) or an IP address; never a URL. */
export function normalizeHostName(raw: string, opts: { wildcard: boolean; field: string }): string {
  const name = raw.trim().toLowerCase().replace(/\.$/, '');
  const bad = (why: string) =>
    new AppError('INVALID_SERVER_NAME', `"${raw}" is not a host name: ${why}.`, {
      field: opts.field,
    });
  if (!name) throw bad('it is empty');
  if (/[/:@?#\s]/.test(name) && !net.isIPv6(name))
    throw bad('write the name only, without a scheme, port or path');
  if (net.isIP(name)) return name;
  const labels = name.split('.');
  if (labels[0] === '*') {
    if (!opts.wildcard) throw bad('a wildcard is not a name clients can use');
    if (labels.length < 3) throw bad('a wildcard needs at least two labels after "*."');
    labels.shift();
  }
  if (name.length > 253 || !labels.every((l) => LABEL.test(l)))
    throw bad('use letters, digits and hyphens between dots');
  return name;
}

export function mergeSettings(current: ServerSettings, update: ServerSettingsUpdate): ServerSettings {
  const next: ServerSettings = {
    ...current,
    ...update,
    serverNames: [...(update.serverNames ?? current.serverNames)],
  };
  next.serverNames = [
    ...new Set(
      next.serverNames.map((n, i) => normalizeHostName(n, { wildcard: false, field: `serverNames.${i}` })),
    ),
  ];
  if (next.httpPort !== 0 && next.httpPort === next.httpsPort) {
    throw new AppError('PORTS_MUST_DIFFER', 'The HTTP and HTTPS ports must be different.', {
      field: 'httpsPort',
    });
  }
  return next;
}

const FIELDS = [
  'httpsEnabled',
  'httpPort',
  'httpsPort',
  'activeCertificateId',
  'serverNames',
  'redirectHttp',
  'aiaAllowPrivate',
] as const;

export function changedFields(a: ServerSettings, b: ServerSettings): string[] {
  return FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
}

/**
 * A change that can cut the admin off (enabling HTTPS, moving a port, serving another certificate)
 * must be confirmed over the new listener. Server names, the redirect switch and turning HTTPS off can
 * not lock anyone out, so they apply at once.
 */
export function needsConfirmation(current: ServerSettings, next: ServerSettings): boolean {
  if (next.httpPort !== current.httpPort) return true;
  if (!next.httpsEnabled) return false;
  return (
    !current.httpsEnabled ||
    next.httpsPort !== current.httpsPort ||
    next.activeCertificateId !== current.activeCertificateId
  );
}
