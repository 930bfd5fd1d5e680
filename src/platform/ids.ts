/** Identifiers and secrets. Task ids are UUIDs (opaque, unguessable: SPEC §1.2). */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const newTaskId = (): string => randomUUID();
export const newKeyId = (): string => `key_${randomBytes(8).toString('hex')}`;
/** An API key as shown once to its owner: 32 random bytes, URL-safe. */
export const newApiKey = (): string => `docr_${randomBytes(32).toString('base64url')}`;
/** A Standard Webhooks signing secret ("whsec_" + base64 of 24 random bytes). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8'), y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x); // same work either way; the length itself is not secret (a hex digest)
    return false;
  }
  return timingSafeEqual(x, y);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID_RE.test(s);
