/**
 * Secrets docr must keep for a while (a task's document password): AES-256-GCM under a key
 * derived (HKDF-SHA256) from the server's secret, so a copy of the database alone reveals
 * nothing. The sealed form is `v1.<base64url(iv | tag | ciphertext)>`; `context` (the task
 * id) is authenticated too, so a sealed value moved to another row does not open.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { DocrError } from '../domain/errors.js';

const PREFIX = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretBox {
  seal(plain: string, context: string): string;
  /** The clear text; INTERNAL when the value was not sealed by this secret for this context. */
  open(sealed: string, context: string): string;
  /** A keyed digest (HMAC-SHA256, hex): fingerprints that hold a secret without revealing it. */
  digest(data: string): string;
}

/** `secret`: the server's secret (the URL-signing secret); `purpose` separates the keys derived from one secret. */
export function createSecretBox(secret: string, purpose = 'docr task secrets v1'): SecretBox {
  if (secret.length < 16) throw new Error('the secret must have at least 16 characters');
  const key = Buffer.from(hkdfSync('sha256', secret, 'docr', `${purpose} (encryption)`, 32));
  const macKey = Buffer.from(hkdfSync('sha256', secret, 'docr', `${purpose} (digest)`, 32));
  return {
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed, context) {
      try {
        if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed value');
        const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES)).setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        // Never the value itself in the message: it is a secret, sealed or not.
        throw new DocrError('INTERNAL', 'The task\'s password cannot be decrypted (the server secret changed since the task was created); create the task again.');
      }
    },
    digest: (data) => createHmac('sha256', macKey).update(data).digest('hex'),
  };
}
