import type { Db } from '../db/open.js';
import { AppError } from '../errors.js';
import { BindingStore } from '../store/bindings.js';
import type { CertificateStore } from '../store/certificates.js';
import type { PrivateKeyStore } from '../store/private-keys.js';
import type { ServerSettings } from '../store/server-settings.js';
import type { ListenerPlan } from './listeners.js';
import { certificateCovers, loadServingMaterial } from './material.js';
import type { ServingMaterial } from './options.js';

export interface Stores {
  db: Db;
  certificates: CertificateStore;
  privateKeys: PrivateKeyStore;
}

/**
 * Turns settings into listener material, loading every key it will serve. Throws a 422 with a code
 * for anything that cannot be served, before a single listener is touched.
 */
export function buildPlan(stores: Stores, settings: ServerSettings): ListenerPlan {
  if (!settings.httpsEnabled) return { httpPort: settings.httpPort, https: null };
  if (settings.activeCertificateId === null) {
    throw new AppError(
      'HTTPS_CERTIFICATE_REQUIRED',
      'Choose the certificate to serve before turning HTTPS on.',
      {
        field: 'activeCertificateId',
      },
    );
  }
  const main = loadServingMaterial(stores, settings.activeCertificateId);
  const sni = new Map<string, ServingMaterial>();
  for (const b of new BindingStore(stores.db).list()) {
    try {
      // Any key type beside the default: each certificate has a TLS server of its own (listeners.ts).
      sni.set(b.hostname, loadServingMaterial(stores, b.certificate_id).material);
    } catch (err) {
      if (err instanceof AppError) {
        throw err.withMessage(`The binding for ${b.hostname}: ${err.message}`, { bindingId: b.id });
      }
      throw err;
    }
  }
  return { httpPort: settings.httpPort, https: { port: settings.httpsPort, default: main.material, sni } };
}

/** The default certificate must cover at least one of the names clients use (when any are configured). */
export function assertCoversServerNames(stores: Stores, settings: ServerSettings): void {
  if (!settings.httpsEnabled || settings.activeCertificateId === null || settings.serverNames.length === 0)
    return;
  const { x509 } = loadServingMaterial(stores, settings.activeCertificateId);
  if (!settings.serverNames.some((n) => certificateCovers(x509, n))) {
    throw new AppError(
      'CERTIFICATE_NAME_MISMATCH',
      `The certificate covers none of the server names (${settings.serverNames.join(', ')}); browsers would refuse it. Choose a certificate whose SANs include one of them, or fix the server names.`,
      { field: 'activeCertificateId' },
    );
  }
}
