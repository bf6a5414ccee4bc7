/**
 * Text from a certificate is chosen by whoever made it. Characters that are invisible or reorder the
 * text around them (right-to-left override, zero-width space, soft hyphen…) let "evil\u202Egpj.example"
 * look like another name, so every string the API answers with shows them as a visible marker:
 * U+202E becomes "<U+202E>". Line breaks and tabs stay (PEM text, multi-line notes).
 */
// C0/C1 controls (but tab, LF, CR), soft hyphen, bidi marks/embeddings/overrides/isolates, zero-width
// spaces and joiners, invisible fillers, the BOM, interlinear annotations and tag characters.
const HIDDEN_RANGES =
  '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180E\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u206F\\u3164\\uFEFF\\uFFA0\\uFFF9-\\uFFFB\\u{E0000}-\\u{E007F}';
const HIDDEN = new RegExp(`[${HIDDEN_RANGES}]`, 'gu');

const marker = (ch: string) =>
  `<U+${(ch.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}>`;

export function markHiddenCharacters(text: string): string {
  HIDDEN.lastIndex = 0;
  return HIDDEN.test(text) ? text.replace(HIDDEN, marker) : text;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The same value with every string marked; unchanged parts keep their identity (no copy when clean).
 * Plain loops: it walks every JSON answer, so a clean one allocates nothing.
 */
export function markHiddenDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return markHiddenCharacters(value) as T;
  if (value === null || typeof value !== 'object' || depth > 32) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const marked = markHiddenDeep(item, depth + 1);
      if (marked === item) continue;
      copy ??= value.slice();
      copy[i] = marked;
    }
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let out: Record<string, unknown> | null = null;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = value[key];
    const marked = markHiddenDeep(item, depth + 1);
    if (marked === item) continue;
    out ??= { ...value };
    out[key] = marked;
  }
  return (out ?? value) as T;
}

/**
 * One attribute value from Node's multi-line DN ("CN=Smith\, John"), without the RFC 2253 escaping
 * OpenSSL adds: `\,` → `,` and `\01` → U+0001 (which the display then marks).
 */
export function unescapeDnValue(value: string): string {
  return value.replace(/\\([0-9A-Fa-f]{2}|.)/g, (_, esc: string) =>
    esc.length === 2 ? String.fromCharCode(Number.parseInt(esc, 16)) : esc,
  );
}

/** The first value of an attribute type in Node's multi-line DN (multi-valued RDNs joined by " + "). */
export function dnAttribute(dn: string, type: string): string | null {
  for (const line of dn.split('\n')) {
    // An escaped plus is "\+": a bare " + " always separates the members of a multi-valued RDN.
    for (const member of line.split(' + ')) {
      if (member.startsWith(`${type}=`)) return unescapeDnValue(member.slice(type.length + 1));
    }
  }
  return null;
}
