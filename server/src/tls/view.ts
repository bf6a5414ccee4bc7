import type { PendingChange, ProbeResult, ServerSettings as ServerSettingsView } from '@certdesk/shared';
import type { StoredPendingChange, StoredRevert } from '../store/pending-changes.js';
import type { PortField, ServerSettings } from '../store/server-settings.js';

export interface BoundPorts {
  http: number | null;
  https: number | null;
}

/**
 * The pending change as the UI shows it, with the address to confirm from: the first server name (what
 * clients type) or the host this request came in on, and the port actually bound for the new listener.
 */
export function pendingChangeView(
  pending: StoredPendingChange,
  bound: BoundPorts,
  requestHostname: string,
): PendingChange {
  const over = pending.settings.httpsEnabled ? 'https' : 'http';
  const port =
    (over === 'https' ? bound.https : bound.http) ??
    (over === 'https' ? pending.settings.httpsPort : pending.settings.httpPort);
  const host = pending.settings.serverNames[0] ?? requestHostname.replace(/:\d+$/, '');
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    createdAt: pending.createdAt,
    expiresAt: pending.expiresAt,
    settings: pending.settings,
    changes: pending.changes,
    confirmUrl: `${over}://${hostPart}:${port}/settings?confirm=1`,
    confirmOver: over,
  };
}

/** The GET /api/settings/server answer (API.md "Server settings and HTTPS mode"). */
export function settingsView(state: {
  committed: ServerSettings;
  pending: StoredPendingChange | null;
  lastRevert: StoredRevert | null;
  confirmed: boolean;
  bound: BoundPorts;
  confirmSeconds: number;
  lastProbe: ProbeResult | null;
  requestHostname: string;
  portsFromEnvironment?: readonly PortField[];
}): ServerSettingsView {
  const fromEnvironment = state.portsFromEnvironment ?? [];
  return {
    ...state.committed,
    pendingChange: state.pending
      ? pendingChangeView(state.pending, state.bound, state.requestHostname)
      : null,
    lastRevert: state.lastRevert,
    httpsConfirmed: state.confirmed,
    listeners: { http: state.bound.http, https: state.bound.https },
    confirmSeconds: state.confirmSeconds,
    lastProbe: state.lastProbe,
    portsSetByEnvironment: {
      httpPort: fromEnvironment.includes('httpPort'),
      httpsPort: fromEnvironment.includes('httpsPort'),
    },
  };
}
