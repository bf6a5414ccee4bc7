import http from 'node:http';
import { looksLikeText, pemBlocks } from './pem.js';
import { looksLikePkcs7, readPkcs7 } from './pkcs7.js';
import { type CertInfo, certInfo } from './x509-info.js';

/**
 * AIA "CA Issuers" fetching (RFC 5280 4.2.2.1): plain HTTP only (the URL is in a certificate anyone
 * can forge, so no redirects, no HTTPS, nothing but a GET), a short timeout and a size cap. Injectable
 * so the import service can be given a different fetcher (tests use a real local HTTP server).
 */
export type IssuerFetcher = (url: string) => Promise<Buffer>;

export const AIA_LIMITS = { timeoutMs: 5000, maxBytes: 1024 * 1024, maxHops: 4, maxUrlsPerCert: 2 };

export function httpIssuerFetcher(limits = AIA_LIMITS): IssuerFetcher {
  return (url) =>
    new Promise<Buffer>((resolve, reject) => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        reject(new Error('not a URL'));
        return;
      }
      if (parsed.protocol !== 'http:') {
        reject(new Error('only http:// CA Issuers URLs are fetched'));
        return;
      }
      const req = http.get(parsed, { timeout: limits.timeoutMs }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`HTTP ${res.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > limits.maxBytes) {
            req.destroy(new Error('answer larger than 1 MiB'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      });
      // One deadline for the whole exchange, not only for idle sockets.
      const deadline = setTimeout(() => req.destroy(new Error('timed out')), limits.timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
    });
}

/** Certificates found at a certificate's CA Issuers URLs; failures become notes, never errors. */
export async function fetchIssuers(
  cert: CertInfo,
  fetcher: IssuerFetcher,
  notes: string[],
): Promise<CertInfo[]> {
  const out: CertInfo[] = [];
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
      for (const der of ders) out.push(certInfo(der, source));
      notes.push(`Fetched ${ders.length} certificate(s) from the CA Issuers URL ${url}.`);
    } catch (err) {
      notes.push(`Could not fetch the issuer from ${url}: ${(err as Error).message}.`);
    }
  }
  return out;
}
