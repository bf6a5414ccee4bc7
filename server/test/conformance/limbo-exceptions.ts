/**
 * x509-limbo SERVER testcases where certdesk's verdict deliberately differs from the expected result,
 * each with its reason. The runner fails when a case disagrees without an entry here, and when an entry
 * here no longer disagrees. (RFC 5280-only cases that limbo marks as conflicting with a webpki:: case
 * are counted as exceptions by the runner itself: certdesk applies the web profile.)
 */
const REVOCATION =
  'Revocation is not checked: certdesk validates at import without fetching CRLs or OCSP, so a CRL in the testcase has no effect.';
const PUBLIC_SUFFIX =
  'A wildcard directly under a multi-label public suffix needs the Public Suffix List, which certdesk does not ship; wildcards under a single label (*.com) and a bare "*" are refused.';
const CN_NOT_IN_SAN =
  'Browsers ignore the subject CN when a subjectAltName is present; certdesk refuses a CN that is a wrong copy of a SAN entry (other IP notation, other letter case, Unicode form) but not one naming another host, which limbo itself accepts elsewhere (webpki::san::leftmost-wildcard-san has CN example.com and SAN *.example.com).';

export const LIMBO_EXCEPTIONS: Record<string, string> = {
  'crl::revoked-certificate-with-crl': REVOCATION,
  'crl::crlnumber-missing': REVOCATION,
  'crl::crlnumber-critical': REVOCATION,
  'crl::issuer-missing-crlsign': REVOCATION,
  'pathlen::validation-ignores-pathlen-in-leaf':
    'The leaf here is a CA certificate; certdesk applies the web profile, where a CA certificate is never a server certificate (as in webpki::ca-as-leaf).',
  'rfc5280::aki::cross-signed-root-missing-aki':
    'A trust anchor is taken as configured (RFC 5280 §6.1), so its own authorityKeyIdentifier is not required; cve::cve-2024-0567 needs exactly such an anchor (a cross-signed "Root A" without AKI) to be accepted.',
  'webpki::cn::not-in-san': CN_NOT_IN_SAN,
  'webpki::cn::punycode-not-in-san': CN_NOT_IN_SAN,
  'webpki::eku::root-has-eku':
    "A root whose extendedKeyUsage includes serverAuth is accepted, as Chrome and Firefox do for locally trusted roots (they enforce the root's EKU rather than refuse it); a root EKU without serverAuth is refused.",
  'webpki::san::public-suffix-multi-label-wildcard-san': PUBLIC_SUFFIX,
  'webpki::san::public-suffix-private-namespace-wildcard-san': PUBLIC_SUFFIX,
};
