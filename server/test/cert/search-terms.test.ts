import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  coveringWildcard,
  prefixRange,
  queryKey,
  type SearchSource,
  searchKey,
  searchTerms,
  wordSuffixes,
} from '../../src/cert/search-terms.js';

const source = (over: Partial<SearchSource> = {}): SearchSource => ({
  name: null,
  commonName: 'portal.example.com',
  subjectAltNames: ['portal.example.com', 'www.portal.example.com', '*.apps.example.com', '2001:db8::10'],
  issuer: 'C=US\nO=Example Trust\nCN=Example Issuing CA 2',
  serialNumber: '0A1B2C',
  thumbprintSha1: 'AB'.repeat(20),
  fingerprintSha256: 'CD'.repeat(32),
  ...over,
});

test('words: a term from each word start to the end, lower case, no spaces or colons', () => {
  assert.deepEqual(wordSuffixes('www.Portal-1.example'), [
    'www.Portal-1.example',
    'Portal-1.example',
    '1.example',
    'example',
  ]);
  assert.deepEqual(wordSuffixes('*.apps.example.com'), [
    '*.apps.example.com',
    'apps.example.com',
    'example.com',
    'com',
  ]);
  const terms = searchTerms(source({ name: 'Payroll front end' })).map((t) => t.term);
  for (const expected of [
    'portal.example.com',
    'example.com',
    'www.portal.example.com',
    '*.apps.example.com',
    'apps.example.com',
    '2001db810',
    'exampleissuingca2',
    'issuingca2',
    'exampletrust',
    'payrollfrontend',
    'frontend',
    '0a1b2c',
    'ab'.repeat(20),
    'cd'.repeat(32),
  ])
    assert.ok(terms.includes(expected), expected);
  assert.ok(!terms.includes('cn=exampleissuingca2'), 'attribute names are not searched');
  assert.ok(!terms.some((t) => t.startsWith('roll')), 'no match inside a word');
  assert.equal(searchKey(' AB:cd Ef '), 'abcdef');
});

test('every certificate whose terms start with a query has exactly one such term with lcp < query length', () => {
  const word = fc.stringMatching(/^[a-c0-9]{1,6}$/);
  const host = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join('.'));
  fc.assert(
    fc.property(fc.array(host, { maxLength: 6 }), fc.stringMatching(/^[a-c0-9.]{1,5}$/), (sans, query) => {
      const terms = searchTerms(source({ commonName: null, subjectAltNames: sans, issuer: '' }));
      const key = searchKey(query);
      const matching = terms.filter((t) => t.term.startsWith(key));
      const counted = matching.filter((t) => t.lcp < key.length);
      assert.equal(counted.length, matching.length > 0 ? 1 : 0);
      const { lo, hi } = prefixRange(key);
      for (const t of terms) assert.equal(t.term >= lo && t.term < hi, t.term.startsWith(key), t.term);
    }),
  );
});

test('a host name finds the wildcard name that covers it', () => {
  assert.equal(coveringWildcard('foo.apps.example.com'), '*.apps.example.com');
  assert.equal(coveringWildcard('apps.example.com'), '*.example.com');
  assert.equal(coveringWildcard('example.com'), null, 'no *.com');
  assert.equal(coveringWildcard('ab12cd'), null);
});

test('a query as pasted: URL host, root dot, openssl fingerprint label, 0x; a host finds its covering wildcard', () => {
  assert.equal(queryKey('https://API.example.com:8443/path?q=1'), 'api.example.com');
  assert.equal(queryKey('ldaps://user@ldap.example.com'), 'ldap.example.com');
  assert.equal(queryKey('https://[2001:db8::1]:443/'), '2001db81');
  assert.equal(queryKey('api.example.com.'), 'api.example.com');
  assert.equal(queryKey('SHA256 Fingerprint=AB:CD:EF'), 'abcdef');
  assert.equal(queryKey('sha1 Fingerprint=AB:CD'), 'abcd');
  assert.equal(queryKey('0x0A1B'), '0a1b');
  assert.equal(queryKey('Payroll front end'), 'payrollfrontend');
  assert.equal(coveringWildcard(queryKey('api.example.com')), '*.example.com');
  assert.equal(coveringWildcard(queryKey('https://api.example.com/')), '*.example.com');
  assert.equal(coveringWildcard('example.com'), null, 'a wildcard never covers a bare domain');
});
