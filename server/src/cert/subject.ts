import { createRequire } from 'node:module';
import {
  type CsrCreateBody,
  type CsrSubject,
  checkCommonName,
  checkCountry,
  checkSubjectAltName,
  checkSubjectText,
  MAX_SUBJECT_ALT_NAMES,
  mergeSubjectAltNames,
} from '@certdesk/shared';
import type { ErrorCode } from '@certdesk/shared/errors';
import countries from 'i18n-iso-countries/index.js';
import { CertError } from './errors.js';
import type { KeySpec } from './keygen.js';

// Only English names are shown: the package's Node entry would read all of its ~80 locale files at start.
// (require, not a JSON import: Node 20 warns that JSON modules are experimental on every start.)
countries.registerLocale(createRequire(import.meta.url)('i18n-iso-countries/langs/en.json'));
/** The assigned ISO 3166-1 alpha-2 codes, from the maintained i18n-iso-countries package. */
const ALPHA2 = new Set(Object.keys(countries.getAlpha2Codes()));

export function isCountryCode(code: string): boolean {
  return ALPHA2.has(code);
}

/**
 * Every country, sorted by name (the wizard's select): its code, English name, alpha-3 code and the other
 * names people type ("USA", "UK", "Czechia"), so the picker finds them.
 */
export function countryList(): Array<{ code: string; name: string; alpha3: string; aliases: string[] }> {
  const names = countries.getNames('en', { select: 'all' });
  return [...ALPHA2]
    .map((code) => {
      const [name = code, ...aliases] = names[code] ?? [];
      return { code, name, alpha3: countries.alpha2ToAlpha3(code) ?? code, aliases };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

export interface CsrRequest {
  subject: CsrSubject;
  subjectAltNames: string[];
  key: KeySpec;
}

function invalid(code: ErrorCode, field: string, message: string): CertError {
  return new CertError(code, message, { field });
}

const TEXT_FIELDS: Array<[keyof CsrSubject & keyof CsrCreateBody, string]> = [
  ['state', 'The state or province'],
  ['locality', 'The locality (city)'],
  ['organization', 'The organization'],
  ['organizationalUnit', 'The organizational unit'],
];

/**
 * Checks a POST /api/csrs body against the field rules and returns it normalised (trimmed, CN lower-cased
 * and first among the SANs, duplicates removed). Throws a CertError with `field` naming the first bad input.
 */
export function parseCsrRequest(body: CsrCreateBody): CsrRequest {
  const cnError = checkCommonName(body.commonName, body.subjectAltNames ?? []);
  if (cnError) throw invalid('INVALID_COMMON_NAME', 'commonName', cnError);
  const subject: CsrSubject = { commonName: body.commonName.trim().toLowerCase() };

  if (body.country !== undefined && body.country.trim() !== '') {
    const err = checkCountry(body.country, isCountryCode);
    if (err) throw invalid('INVALID_COUNTRY', 'country', err);
    subject.country = body.country.trim().toUpperCase();
  }
  for (const [field, label] of TEXT_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    const err = checkSubjectText(value, label);
    if (err) throw invalid('INVALID_SUBJECT_FIELD', field, err);
    subject[field] = value.trim();
  }

  const sans = body.subjectAltNames ?? [];
  sans.forEach((san, i) => {
    const err = checkSubjectAltName(san);
    if (err) throw invalid('INVALID_SUBJECT_ALT_NAME', `subjectAltNames.${i}`, err);
  });
  const subjectAltNames = mergeSubjectAltNames(subject.commonName, sans);
  if (subjectAltNames.length > MAX_SUBJECT_ALT_NAMES) {
    throw invalid(
      'INVALID_SUBJECT_ALT_NAME',
      'subjectAltNames',
      `A CSR can carry at most ${MAX_SUBJECT_ALT_NAMES} alternative names; this one has ${subjectAltNames.length}.`,
    );
  }

  // The parameter of the other key type is ignored: a renew link may carry both.
  const key: KeySpec =
    body.keyType === 'rsa'
      ? { keyType: 'rsa', keySize: body.keySize ?? 2048 }
      : { keyType: 'ec', curve: body.curve ?? 'P-256' };
  return { subject, subjectAltNames, key };
}
