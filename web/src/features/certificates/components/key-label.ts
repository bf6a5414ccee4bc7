/** "RSA 2048", "EC P-256": the key column as administrators say it. */
export function keyLabel(c: { keyType: string; keySize: number | null; curve: string | null }): string {
  if (c.keyType === 'rsa') return `RSA ${c.keySize ?? ''}`.trim();
  if (c.keyType === 'ec') return `EC ${c.curve ?? ''}`.trim();
  return c.keyType;
}

/** Windows shows thumbprints in pairs: "A1 B2 C3 …". */
export function spacedHex(hex: string): string {
  return hex.replace(/(..)(?!$)/g, '$1 ');
}
