import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 1;
const AAD = Buffer.from('certdesk private key v1');

/**
 * AES-256-GCM sealing of private keys under a key-encryption key (KEK) that lives in a 0600 file in the
 * data directory, never in the database: a copy of certdesk.db alone reveals no key.
 */
export class KeyEncryption {
  private constructor(private readonly kek: Buffer) {}

  /** Loads `kek.key` from the data directory, creating it (0600) on first start. */
  static open(dataDir: string): KeyEncryption {
    const file = path.join(dataDir, 'kek.key');
    try {
      const kek = fs.readFileSync(file);
      if (kek.length !== 32) throw new Error(`${file} is damaged: expected 32 bytes, found ${kek.length}`);
      return new KeyEncryption(kek);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const kek = crypto.randomBytes(32);
    // wx: never overwrite a KEK that appeared meanwhile; losing it would lose every key.
    fs.writeFileSync(file, kek, { mode: 0o600, flag: 'wx' });
    return new KeyEncryption(kek);
  }

  seal(plaintext: Buffer): Buffer {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(AAD);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer): Buffer {
    if (sealed.length < 29 || sealed[0] !== VERSION) throw new Error('sealed key has an unknown format');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.kek, sealed.subarray(1, 13));
    decipher.setAAD(AAD);
    decipher.setAuthTag(sealed.subarray(13, 29));
    return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
  }
}
