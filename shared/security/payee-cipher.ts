/**
 * Bank account numbers of payees are stored encrypted: AES-256-GCM under a key kept outside the
 * database, the institution id as additional authenticated data (a ciphertext copied to another
 * institution does not decrypt). The stored form names its key ("k1:iv:ciphertext:tag", base64url),
 * so a new key can be added without re-encrypting at once.
 *
 * The key is derived with HKDF-SHA256 from a secret of at least 256 bits (deployed: the Secrets
 * Manager secret the function is granted; locally .data/pepper; tests a fixed buffer), with its
 * own `info`, so it is independent of any other key derived from the same secret.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface PayeeCipher {
  encrypt(accountNumber: string, institutionId: string): string;
  decrypt(stored: string, institutionId: string): string;
}

const KEY_ID = 'k1';
const INFO = 'gatekeeper/payee-account-number/v1';

export function payeeCipher(secret: Buffer): PayeeCipher {
  if (secret.length < 32) throw new Error('The payee key secret must be at least 256 bits');
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), INFO, 32));
  return {
    encrypt(accountNumber, institutionId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(institutionId, 'utf8'));
      const body = Buffer.concat([cipher.update(accountNumber, 'utf8'), cipher.final()]);
      return [KEY_ID, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(':');
    },
    decrypt(stored, institutionId) {
      const [keyId, iv, body, tag] = stored.split(':');
      if (keyId !== KEY_ID || !iv || !body || !tag) throw new Error('Unknown payee account ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(institutionId, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
