import type { TLSSocket } from 'node:tls';
import { AppError } from '../errors.js';
import type { StoredPendingChange } from '../store/pending-changes.js';
import type { BoundPorts } from './view.js';

/**
 * A confirmation proves the new listener works only when it arrives over that listener: HTTPS on the
 * HTTPS port for a change that turns HTTPS on, plain HTTP on the HTTP port otherwise.
 */
export function assertOverNewListener(
  pending: StoredPendingChange,
  socket: TLSSocket,
  bound: BoundPorts,
): void {
  const over = pending.settings.httpsEnabled ? 'https' : 'http';
  const port = over === 'https' ? bound.https : bound.http;
  const encrypted = socket.encrypted === true;
  if (encrypted !== (over === 'https') || socket.localPort !== port) {
    throw new AppError(
      'CONFIRM_WRONG_LISTENER',
      `Confirm from the new address (${over}://…:${port ?? pending.settings.httpsPort}/): a confirmation that arrives there proves it works.`,
      { confirmOver: over, port },
    );
  }
}

/**
 * A keep-alive connection opened before a certificate swap still carries the previous certificate: a
 * confirmation over it would prove nothing about the new one, which the browser may yet reject.
 */
export function assertNotStaleConnection(
  socket: TLSSocket,
  pendingCertificateId: number | null,
  previous: { id: number; fingerprintSha256: string } | null,
): void {
  if (!socket.encrypted || pendingCertificateId === null || previous === null) return;
  if (pendingCertificateId === previous.id) return;
  const served = socket.getCertificate();
  if (!served || !('fingerprint256' in served)) return;
  if (served.fingerprint256.replace(/:/g, '') === previous.fingerprintSha256) {
    throw new AppError(
      'CONFIRM_STALE_CONNECTION',
      'This connection was opened before the switch and still shows the previous certificate. Wait ten seconds (the browser then opens a new connection) and confirm again.',
    );
  }
}
