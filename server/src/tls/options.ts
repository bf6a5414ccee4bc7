import type { SecureContextOptions } from 'node:tls';

/**
 * Mozilla "intermediate" server settings (TLS 1.2+, ECDHE with AEAD only, TLS 1.3 defaults).
 * Passed in full every time a context is built or swapped: `setSecureContext` resets anything left out
 * (ciphers and curves) to Node's defaults, which would silently re-enable CBC suites.
 */
export const TLS13_SUITES = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
];
export const TLS12_SUITES = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];

export const HARDENED_TLS_OPTIONS = {
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.3',
  ciphers: [...TLS13_SUITES, ...TLS12_SUITES].join(':'),
  ecdhCurve: 'X25519:P-256:P-384',
  // Every suite above is ECDHE + AEAD, ordered as Mozilla lists them; enforcing that order costs nothing
  // and scanners (testssl) rate "no server cipher order" as a HIGH finding.
  honorCipherOrder: true,
} as const satisfies SecureContextOptions;

/**
 * Sent on HTTPS responses once HTTPS is confirmed. Deliberately short, never includeSubDomains: HSTS is
 * per host, not per port, so after `certdesk reset-https` (or switching HTTPS off) a long max-age would
 * make browsers refuse the HTTP console — the very lockout certdesk promises cannot happen.
 */
export const HSTS_VALUE = 'max-age=300';

/** Key and certificate material for one served certificate: the leaf then the intermediates, never the root. */
export interface ServingMaterial {
  certificateId: number;
  key: string;
  cert: string;
}

export function secureContextOptions(material: ServingMaterial): SecureContextOptions {
  return { ...HARDENED_TLS_OPTIONS, key: material.key, cert: material.cert };
}
