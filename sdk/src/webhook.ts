/**
 * verifyWebhook: checks a docr callback per Standard Webhooks (standardwebhooks.com):
 * `webhook-signature` holds one or more `v1,<base64 HMAC-SHA256>` of "id.timestamp.body",
 * keyed with the base64 part of the key's `whsec_` secret; the timestamp must be recent
 * (replays of old deliveries are refused). WebCrypto, so it runs in Node and browsers.
 */
import { WebhookVerificationError } from './errors.js';
import type { Envelope, Task } from './types.js';

export interface WebhookRequest {
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The raw body, exactly as received (not re-serialised JSON). */
  body: string | Uint8Array;
}

export interface VerifyOptions {
  /** Largest accepted distance between the delivery's timestamp and now. Default 300 s. */
  toleranceSeconds?: number;
  /** Unix seconds now (tests). */
  now?: number;
}

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(entry) ? entry[0] : entry;
}

const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Answers the verified callback body (the task as a query answers it); throws WebhookVerificationError. */
export async function verifyWebhook(secret: string, request: WebhookRequest, options: VerifyOptions = {}): Promise<Envelope<Task>> {
  const id = header(request.headers, 'webhook-id');
  const timestamp = header(request.headers, 'webhook-timestamp');
  const signatures = header(request.headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('not a signed docr callback: webhook-id, webhook-timestamp or webhook-signature is missing');
  const sent = Number(timestamp);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(sent) || Math.abs(now - sent) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError('the callback\'s timestamp is too far from now: a replay, or a clock far off');
  }
  let key: Awaited<ReturnType<typeof crypto.subtle.importKey>>;
  try {
    key = await crypto.subtle.importKey('raw', fromBase64(secret.replace(/^whsec_/, '')), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  } catch {
    throw new WebhookVerificationError('the webhook secret is not a whsec_ secret (docr keys create prints it)');
  }
  const body = typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body;
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix);
  signed.set(body, prefix.length);
  for (const entry of signatures.split(' ')) {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) continue;
    let bytes: Uint8Array<ArrayBuffer>;
    try { bytes = fromBase64(signature); } catch { continue; }
    // subtle.verify compares in constant time.
    if (await crypto.subtle.verify('HMAC', key, bytes, signed)) {
      return JSON.parse(new TextDecoder().decode(body)) as Envelope<Task>;
    }
  }
  throw new WebhookVerificationError('the callback\'s signature does not match its body: it was altered, or signed with another key\'s secret');
}
