import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type CsrCreateBody,
  csrNameWarnings,
  hostNameWarning,
  mergeSubjectAltNames,
  normalizeSubjectAltName,
} from '@certdesk/shared';
import { errorStatus } from '@certdesk/shared/errors';
import fc from 'fast-check';
import { CertError } from '../../src/cert/errors.js';
import { countryList, isCountryCode, parseCsrRequest } from '../../src/cert/subject.js';

const base: CsrCreateBody = { commonName: 'www.example.com', keyType: 'rsa', keySize: 2048 };

function rejects(body: Partial<CsrCreateBody>, code: string, field: string, message: RegExp): void {
  assert.throws(
    () => parseCsrRequest({ ...base, ...body }),
    (err: unknown) => {
      assert.ok(err instanceof CertError, String(err));
      assert.equal(errorStatus(err.code, err.inRequest), 400);
      assert.equal(err.code, code);
      assert.equal(err.details.field, field);
      assert.match(err.message, message);
      assert.match(err.message, /\.$/, 'a sentence ends with a full stop');
      return true;
    },
  );
}

describe('common name', () => {
  const good: Array<[string, string]> = [
    ['www.example.com', 'www.example.com'],
    ['WWW.Example.COM', 'www.example.com'],
    ['  host.example.org  ', 'host.example.org'],
    ['*.example.com', '*.example.com'],
    ['a-b.c-d.example', 'a-b.c-d.example'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['1host.example.com', '1host.example.com'],
    [`${'a'.repeat(50)}.example.com`, `${'a'.repeat(50)}.example.com`],
  ];
  for (const [input, expected] of good) {
    test(`accepts ${JSON.stringify(input)}`, () => {
      const r = parseCsrRequest({ ...base, commonName: input });
      assert.equal(r.subject.commonName, expected);
      assert.equal(r.subjectAltNames[0], expected, 'the CN is always the first SAN');
    });
  }
  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['   ', /empty/],
    ['https://www.example.com', /scheme \("https:\/\/"\).*www\.example\.com/],
    ['http://www.example.com/', /scheme/],
    ['www.example.com:8443', /port \(":8443"\)/],
    ['www.example.com/path', /path/],
    ['www example.com', /spaces/],
    ['www..example.com', /empty label/],
    ['.example.com', /empty label/],
    ['www.example.com.', /empty label/],
    ['*.corp', /too broad/],
    ['*.com', /too broad/],
    ['www.*.example.com', /misplaced "\*"/],
    ['w*.example.com', /misplaced "\*"/],
    ['*.*.example.com', /misplaced "\*"/],
    ['-www.example.com', /starts or ends with "-"/],
    ['www-.example.com', /starts or ends with "-"/],
    ['under_score.example.com', /characters a host name cannot have/],
    ['bücher.example', /punycode/],
    ['192.168.1.10', /IP address/],
    ['2001:db8::1', /IP address/],
    ['admin@example.com', /@/],
    ['example.123', /numeric label/],
    [`${'a'.repeat(64)}.example.com`, /label longer than 63|limit is 64/],
    [`${'a'.repeat(60)}.example.com`, /at most 64\. Put the full name in the subject alternative names/],
  ];
  for (const [input, message] of bad) {
    test(`rejects ${JSON.stringify(input.length > 40 ? `${input.slice(0, 30)}…` : input)}`, () =>
      rejects({ commonName: input }, 'INVALID_COMMON_NAME', 'commonName', message));
  }
});

describe('names internal CAs issue, and names too long for a CN', () => {
  test('single-label names and localhost are accepted, each with a warning that public CAs refuse them', () => {
    for (const name of ['localhost', 'intranet', 'SRV01']) {
      const r = parseCsrRequest({ ...base, commonName: name, subjectAltNames: ['files', 'app.localhost'] });
      assert.equal(r.subject.commonName, name.toLowerCase());
      assert.deepEqual(r.subjectAltNames, [name.toLowerCase(), 'files', 'app.localhost']);
    }
    const warnings = csrNameWarnings('localhost', ['intranet', 'www.example.com', '10.0.0.1', 'LOCALHOST']);
    assert.equal(warnings.length, 2, 'one per name, none for an FQDN or an address');
    assert.match(warnings[0]!, /"localhost" names the local machine: public CAs refuse it/);
    assert.match(warnings[1]!, /"intranet" is a single-label name: public CAs refuse it.*Internal CAs/);
    assert.equal(hostNameWarning('www.example.com'), null);
    assert.equal(hostNameWarning('::1'), null);
  });

  test('the CN may be empty when the SANs carry the names: the subject then has no CN', () => {
    const long = 'customer-portal-frontend.eu-west-1.production.internal.example.com';
    const r = parseCsrRequest({ ...base, commonName: '', subjectAltNames: [long, 'www.example.com'] });
    assert.equal(r.subject.commonName, '');
    assert.deepEqual(r.subjectAltNames, [long, 'www.example.com']);
    rejects(
      { commonName: '  ', subjectAltNames: [] },
      'INVALID_COMMON_NAME',
      'commonName',
      /or leave it empty/,
    );
  });

  test('a name over 64 characters: refused as CN with the way out, accepted as a SAN next to a short CN', () => {
    const long = 'customer-portal-frontend.eu-west-1.production.internal.example.com';
    rejects({ commonName: long }, 'INVALID_COMMON_NAME', 'commonName', /66 characters long.*at most 64/);
    const r = parseCsrRequest({ ...base, commonName: 'short.example.com', subjectAltNames: [long] });
    assert.deepEqual(r.subjectAltNames, ['short.example.com', long]);
  });
});

describe('country', () => {
  test('is checked against the ISO 3166-1 alpha-2 list of i18n-iso-countries', () => {
    const list = countryList();
    assert.ok(list.length >= 249, `ISO 3166-1 has 249 codes, got ${list.length}`);
    assert.ok(list.some((c) => c.code === 'DE' && c.name === 'Germany'));
    for (const code of ['US', 'DE', 'GB', 'FR', 'JP', 'AQ', 'SS', 'XK'.slice(0, 0) || 'CW'])
      assert.ok(isCountryCode(code), code);
  });
  test('each country carries its alpha-3 code and the other names people type', () => {
    const byCode = new Map(countryList().map((c) => [c.code, c]));
    assert.equal(byCode.get('US')?.alpha3, 'USA');
    assert.ok(byCode.get('US')?.aliases.includes('USA'));
    assert.ok(byCode.get('GB')?.aliases.includes('UK'));
    assert.equal(byCode.get('CH')?.alpha3, 'CHE');
    assert.equal(byCode.get('CH')?.name, 'Switzerland');
  });
  const good: Array<[string, string]> = [
    ['US', 'US'],
    ['de', 'DE'],
    [' gb ', 'GB'],
  ];
  for (const [input, expected] of good) {
    test(`accepts ${JSON.stringify(input)}`, () =>
      assert.equal(parseCsrRequest({ ...base, country: input }).subject.country, expected));
  }
  test('an empty country is left out', () =>
    assert.equal(parseCsrRequest({ ...base, country: '' }).subject.country, undefined));
  const bad: Array<[string, RegExp]> = [
    ['UK', /not an ISO 3166-1 country code/], // the UK is GB
    ['EU', /not an ISO 3166-1/],
    ['ZZ', /not an ISO 3166-1/],
    ['USA', /two-letter.*not the three-letter "USA"/],
    ['U', /two-letter/],
    ['1A', /two-letter/],
    ['Germany', /two-letter/],
  ];
  for (const [input, message] of bad) {
    test(`rejects ${JSON.stringify(input)}`, () =>
      rejects({ country: input }, 'INVALID_COUNTRY', 'country', message));
  }
});

describe('state, locality, organization, unit', () => {
  const fields = ['state', 'locality', 'organization', 'organizationalUnit'] as const;
  for (const field of fields) {
    test(`${field}: trimmed, kept when given`, () => {
      const r = parseCsrRequest({ ...base, [field]: '  Example, Inc. "Ü"  ' });
      assert.equal(r.subject[field], 'Example, Inc. "Ü"');
    });
    test(`${field}: 64 characters pass, left out when absent`, () => {
      assert.equal(parseCsrRequest({ ...base, [field]: 'x'.repeat(64) }).subject[field], 'x'.repeat(64));
      assert.equal(parseCsrRequest(base).subject[field], undefined);
    });
    test(`${field}: empty, blank, 65 characters or control characters are 400`, () => {
      rejects({ [field]: '' }, 'INVALID_SUBJECT_FIELD', field, /empty/);
      rejects({ [field]: '   ' }, 'INVALID_SUBJECT_FIELD', field, /empty/);
      rejects({ [field]: 'y'.repeat(65) }, 'INVALID_SUBJECT_FIELD', field, /65 characters.*limit is 64/);
      rejects({ [field]: 'a\nb' }, 'INVALID_SUBJECT_FIELD', field, /control characters/);
    });
  }
});

describe('subject alternative names', () => {
  test('IPv4, IPv6, wildcard and DNS names are accepted; the CN is added first', () => {
    const r = parseCsrRequest({
      ...base,
      subjectAltNames: ['10.0.0.1', '2001:DB8:0:0:0:0:0:1', '*.example.com', 'api.example.com'],
    });
    assert.deepEqual(r.subjectAltNames, [
      'www.example.com',
      '10.0.0.1',
      '2001:db8::1',
      '*.example.com',
      'api.example.com',
    ]);
  });
  test('duplicates are removed, case-insensitively for DNS and by value for IPv6', () => {
    const r = parseCsrRequest({
      ...base,
      subjectAltNames: [
        'API.example.com',
        'api.example.com',
        'WWW.EXAMPLE.COM',
        '::1',
        '0:0:0:0:0:0:0:1',
        ' api.example.com ',
      ],
    });
    assert.deepEqual(r.subjectAltNames, ['www.example.com', 'api.example.com', '::1']);
  });
  test('the CN keeps its place when it is also listed later', () => {
    assert.deepEqual(
      parseCsrRequest({ ...base, subjectAltNames: ['a.example.com', 'www.example.com'] }).subjectAltNames,
      ['www.example.com', 'a.example.com'],
    );
  });
  const bad: Array<[string, RegExp]> = [
    ['https://a.example.com', /scheme/],
    ['a.example.com:443', /port/],
    ['a b.example.com', /spaces/],
    ['a..example.com', /empty label/],
    ['', /empty/],
    ['256.1.1.1', /not a valid IPv4/],
    ['1.2.3', /not a valid IPv4/],
    ['2001:db8:::1', /not a valid IPv6/],
    ['fe80::1::2', /not a valid IPv6/],
    ['foo.*.example.com', /misplaced/],
  ];
  for (const [input, message] of bad) {
    test(`rejects ${JSON.stringify(input)} with its index in field`, () =>
      rejects(
        { subjectAltNames: ['ok.example.com', input] },
        'INVALID_SUBJECT_ALT_NAME',
        'subjectAltNames.1',
        message,
      ));
  }
  test('more than 100 names → 400', () => {
    const many = Array.from({ length: 101 }, (_, i) => `h${i}.example.com`);
    rejects({ subjectAltNames: many }, 'INVALID_SUBJECT_ALT_NAME', 'subjectAltNames', /at most 100/);
  });
  test('IPv6 normal forms (RFC 5952)', () => {
    const cases: Array<[string, string]> = [
      ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
      ['::', '::'],
      ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
      ['::ffff:192.0.2.1', '::ffff:c000:201'],
      ['fe80::1:2', 'fe80::1:2'],
    ];
    for (const [input, expected] of cases) assert.equal(normalizeSubjectAltName(input), expected, input);
    assert.deepEqual(mergeSubjectAltNames('A.example.com', ['a.EXAMPLE.com']), ['a.example.com']);
  });
});

describe('key parameters', () => {
  test('RSA sizes and EC curves; defaults 2048 and P-256; the other type’s parameter is ignored', () => {
    assert.deepEqual(parseCsrRequest({ ...base, keySize: 4096 }).key, { keyType: 'rsa', keySize: 4096 });
    assert.deepEqual(parseCsrRequest({ commonName: 'a.example.com', keyType: 'rsa' }).key, {
      keyType: 'rsa',
      keySize: 2048,
    });
    assert.deepEqual(parseCsrRequest({ commonName: 'a.example.com', keyType: 'ec', keySize: 2048 }).key, {
      keyType: 'ec',
      curve: 'P-256',
    });
    assert.deepEqual(parseCsrRequest({ commonName: 'a.example.com', keyType: 'ec', curve: 'P-384' }).key, {
      keyType: 'ec',
      curve: 'P-384',
    });
  });
});

describe('properties (fast-check)', () => {
  test('IPv6 normal form equals the WHATWG URL parser’s and is stable', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const n = normalizeSubjectAltName(ip);
        assert.equal(n, new URL(`http://[${ip}]/`).hostname.slice(1, -1));
        assert.equal(normalizeSubjectAltName(n), n);
      }),
      { numRuns: 500 },
    );
  });
  test('generated host names pass, and merging is idempotent with the CN first and no duplicates', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    const host = fc
      .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'org', 'example'))
      .map(([ls, tld]) => [...ls, tld].join('.'));
    fc.assert(
      fc.property(
        host,
        fc.array(
          fc.oneof(
            host,
            fc.ipV4(),
            host.map((h) => h.toUpperCase()),
          ),
        ),
        (cn, sans) => {
          const r = parseCsrRequest({ ...base, commonName: cn, subjectAltNames: sans });
          assert.equal(r.subjectAltNames[0], cn);
          assert.equal(new Set(r.subjectAltNames).size, r.subjectAltNames.length);
          assert.deepEqual(mergeSubjectAltNames(cn, r.subjectAltNames), r.subjectAltNames);
        },
      ),
      { numRuns: 300 },
    );
  });
});
