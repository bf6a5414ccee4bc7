import { looksLikeText, pemBlocks } from './pem.js';
import { looksLikePkcs7, readPkcs7 } from './pkcs7.js';
import { type CertInfo, certInfo } from './x509-info.js';

/**
 * AIA "CA Issuers" (RFC 5280 4.2.2.1): reading what a URL answered. The download itself is an adapter
 * (net/aia-fetcher.ts) given to the import, so this module does no I/O and tests can pass any fetcher.
 */
export type IssuerFetcher = (url: string) => Promise<Buffer>;

export const AIA_LIMITS = { maxHops: 4, maxUrlsPerCert: 2 };

/**
 * The one note for any failed download. It never says why (status, refusal, timeout, what answered):
 * the URL is chosen by whoever made the certificate, and the reason would map the console's network.
 */
export const AIA_FETCH_FAILED_NOTE =
  'Could not fetch the issuer certificate from the address the certificate names.';

/** Certificates found at a certificate's CA Issuers URLs; failures become one neutral note, never errors. */
export async function fetchIssuers(
  cert: CertInfo,
  fetcher: IssuerFetcher,
  notes: string[],
): Promise<CertInfo[]> {
  const out: CertInfo[] = [];
  let failed = false;
  for (const url of cert.caIssuersUrls.slice(0, AIA_LIMITS.maxUrlsPerCert)) {
    try {
      const body = await fetcher(url);
      const source = `AIA ${url}`;
      let ders: Buffer[];
      if (looksLikeText(body))
        ders = pemBlocks(body.toString('utf8'))
          .filter((b) => b.label === 'CERTIFICATE' || b.label === 'PKCS7')
          .flatMap((b) => (b.label === 'PKCS7' ? readPkcs7(b.der) : [b.der]));
      else if (looksLikePkcs7(body)) ders = readPkcs7(body);
      else ders = [body];
      const found = ders.map((der) => certInfo(der, source));
      // An answer without a certificate (a web page, say) is a failure like any other.
      if (found.length === 0) throw new Error('no certificate');
      out.push(...found);
      notes.push(`Fetched ${found.length} certificate(s) from the CA Issuers URL ${url}.`);
    } catch {
      failed = true;
    }
  }
  if (failed && !notes.includes(AIA_FETCH_FAILED_NOTE)) notes.push(AIA_FETCH_FAILED_NOTE);
  return out;
}
