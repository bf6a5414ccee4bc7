import {
  checkCommonName,
  checkCountry,
  checkSubjectAltName,
  checkSubjectText,
  MAX_SUBJECT_ALT_NAMES,
  mergeSubjectAltNames,
} from '@certdesk/shared/rules';
import type { CsrCreateBody } from '@certdesk/shared/types';

/** What the wizard edits. Strings as typed; the server trims and normalises the same way. */
export interface CsrFormValues {
  commonName: string;
  subjectAltNames: string[];
  organization: string;
  organizationalUnit: string;
  locality: string;
  state: string;
  country: string;
  keyType: 'rsa' | 'ec';
  keySize: '2048' | '3072' | '4096';
  curve: 'P-256' | 'P-384';
}

export type CsrFormField = Exclude<keyof CsrFormValues, 'keyType' | 'keySize' | 'curve'>;
export type CsrFormErrors = Partial<Record<CsrFormField, string>>;

export const emptyCsrForm: CsrFormValues = {
  commonName: '',
  subjectAltNames: [],
  organization: '',
  organizationalUnit: '',
  locality: '',
  state: '',
  country: '',
  // ECDSA P-256 by default, as the API: the cheapest handshake for the server; RSA stays one click away.
  keyType: 'ec',
  keySize: '2048',
  curve: 'P-256',
};

export const TEXT_FIELDS: Array<{
  field: 'organization' | 'organizationalUnit' | 'locality' | 'state';
  label: string;
  sentence: string;
  placeholder: string;
}> = [
  {
    field: 'organization',
    label: 'Organization (O)',
    sentence: 'The organization',
    placeholder: 'Example Corp',
  },
  {
    field: 'organizationalUnit',
    label: 'Organizational unit (OU)',
    sentence: 'The organizational unit',
    placeholder: 'IT',
  },
  {
    field: 'locality',
    label: 'Locality / city (L)',
    sentence: 'The locality (city)',
    placeholder: 'Springfield',
  },
  {
    field: 'state',
    label: 'State or province (ST)',
    sentence: 'The state or province',
    placeholder: 'Illinois',
  },
];

/** The same rules the server applies (shared/src/csr-rules.ts); empty optional fields are simply left out. */
export function validateCsrForm(
  values: CsrFormValues,
  isCountry: ((code: string) => boolean) | null,
): CsrFormErrors {
  const errors: CsrFormErrors = {};
  const cn = checkCommonName(values.commonName, values.subjectAltNames);
  if (cn) errors.commonName = cn;
  for (const { field, sentence } of TEXT_FIELDS) {
    if (values[field].trim() === '') continue;
    const err = checkSubjectText(values[field], sentence);
    if (err) errors[field] = err;
  }
  // Until the list has loaded only the shape is checked; the server checks the list either way.
  if (values.country.trim() !== '') {
    const err = checkCountry(values.country, isCountry ?? (() => true));
    if (err) errors.country = err;
  }
  const bad = sanEntryErrors(values.subjectAltNames).filter((e) => e !== null).length;
  // Each bad entry is explained on its own chip (SanInput); the field only says how many need fixing.
  if (bad)
    errors.subjectAltNames = `${bad === 1 ? 'One name is' : `${bad} names are`} not valid: fix or remove the marked ${bad === 1 ? 'entry' : 'entries'}.`;
  else if (mergeSubjectAltNames(values.commonName, values.subjectAltNames).length > MAX_SUBJECT_ALT_NAMES) {
    errors.subjectAltNames = `A CSR can carry at most ${MAX_SUBJECT_ALT_NAMES} alternative names.`;
  }
  return errors;
}

/** Why each SAN entry is not usable (null when it is), in order. */
export function sanEntryErrors(sans: readonly string[]): (string | null)[] {
  return sans.map((s) => checkSubjectAltName(s));
}

export function toCreateBody(values: CsrFormValues, renewsCertificateId: number | null): CsrCreateBody {
  const optional = (v: string) => (v.trim() === '' ? undefined : v.trim());
  return {
    commonName: values.commonName.trim(),
    subjectAltNames: values.subjectAltNames,
    organization: optional(values.organization),
    organizationalUnit: optional(values.organizationalUnit),
    locality: optional(values.locality),
    state: optional(values.state),
    country: optional(values.country)?.toUpperCase(),
    keyType: values.keyType,
    ...(values.keyType === 'rsa'
      ? { keySize: Number(values.keySize) as 2048 | 3072 | 4096 }
      : { curve: values.curve }),
    ...(renewsCertificateId ? { renewsCertificateId } : {}),
  };
}

/**
 * Prefill from the address: /csrs/new?commonName=…&san=…&san=…&organization=…&country=…&keyType=…&keySize=…&curve=…&renews=ID
 * (the inventory's "Renew" button links here). Unknown or malformed values are ignored, not trusted.
 */
export function fromSearchParams(params: URLSearchParams): { values: CsrFormValues; renews: number | null } {
  const v: CsrFormValues = { ...emptyCsrForm };
  const str = (name: string) => params.get(name)?.slice(0, 256) ?? '';
  v.commonName = str('commonName');
  v.subjectAltNames = params
    .getAll('san')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 200);
  v.organization = str('organization');
  v.organizationalUnit = str('organizationalUnit');
  v.locality = str('locality');
  v.state = str('state');
  v.country = str('country').toUpperCase();
  const keyType = str('keyType');
  if (keyType === 'rsa' || keyType === 'ec') v.keyType = keyType;
  const keySize = str('keySize');
  if (keySize === '2048' || keySize === '3072' || keySize === '4096') v.keySize = keySize;
  const curve = str('curve');
  if (curve === 'P-256' || curve === 'P-384') v.curve = curve;
  const renews = Number(str('renews'));
  return { values: v, renews: Number.isInteger(renews) && renews > 0 ? renews : null };
}

/** The server's `field` ("subjectAltNames.2") → the wizard input it belongs to. */
export function formFieldOf(serverField: string | undefined): CsrFormField | null {
  if (!serverField) return null;
  const head = serverField.split('.')[0] as string;
  const known: CsrFormField[] = [
    'commonName',
    'subjectAltNames',
    'organization',
    'organizationalUnit',
    'locality',
    'state',
    'country',
  ];
  return (known as string[]).includes(head) ? (head as CsrFormField) : null;
}

export function keyLabel(values: Pick<CsrFormValues, 'keyType' | 'keySize' | 'curve'>): string {
  return values.keyType === 'rsa' ? `RSA ${values.keySize}-bit` : `ECDSA ${values.curve}`;
}
