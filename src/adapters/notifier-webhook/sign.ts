/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the receiver recomputes
 * base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)) with the key decoded from the
 * secret's base64 after the `whsec_` prefix, and compares it with `webhook-signature`
 * ("v1,<signature>"). The id stays the same across retries so that receivers can de-duplicate.
 */
import { createHmac } from 'node:crypto';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): SignedHeaders {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1,${signature}` };
}
