/** PEM armour: split a text into its blocks (X509Certificate only reads the first one of a bundle). */

export interface PemBlock {
  label: string;
  /** The whole block, BEGIN to END line. */
  text: string;
  der: Buffer;
}

// Bounded label length and lazy body: a hostile text cannot make the regex backtrack for long.
const BLOCK = /-----BEGIN ([A-Z0-9 #]{1,40})-----([\s\S]*?)-----END \1-----/g;

export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = (m[2] as string)
      .split(/\r?\n/)
      .filter((line) => !/^[A-Za-z-]+:/.test(line)) // Proc-Type / DEK-Info headers of legacy encrypted keys
      .join('');
    out.push({ label: m[1] as string, text: m[0], der: Buffer.from(body.replace(/\s+/g, ''), 'base64') });
  }
  return out;
}

export function toPem(label: string, der: Buffer | ArrayBuffer | Uint8Array): string {
  const b64 = Buffer.from(der as Uint8Array).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** True when the bytes read as text (PEM, JSON, HTML…) rather than binary DER. */
export function looksLikeText(buf: Buffer): boolean {
  const head = buf.subarray(0, 4096);
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 9 || (byte > 13 && byte < 32)) control++;
  }
  return control <= head.length / 100;
}
