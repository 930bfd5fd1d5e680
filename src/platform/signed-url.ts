/**
 * Signed result URLs: `<base>/api/results/<taskId>.<ext>?expires=<unix s>&signature=<hmac>`.
 * The signature (HMAC-SHA256, base64url) covers the path and the expiry, so that the URL
 * alone authorises the download until it expires (SPEC §1.3: no API key needed).
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './ids.js';

export const RESULT_PATH_PREFIX = '/api/results/';

export interface SignedUrlParts {
  taskId: string;
  ext: string;
  /** Unix seconds after which the URL answers 410. */
  expires: number;
}

export type VerifyOutcome = { ok: true; taskId: string; ext: string; expires: number } | { ok: false; reason: 'invalid' | 'expired' };

export class ResultUrlSigner {
  constructor(private readonly secret: string) {
    if (secret.length < 16) throw new Error('the URL signing secret must have at least 16 characters');
  }

  private sign(taskId: string, ext: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${taskId}.${ext}\n${expires}`).digest('base64url');
  }

  /** Absolute URL under `base` (scheme://host[:port], no trailing slash needed). */
  urlFor(base: string, p: SignedUrlParts): string {
    const root = base.replace(/\/+$/, '');
    const sig = this.sign(p.taskId, p.ext, p.expires);
    return `${root}${RESULT_PATH_PREFIX}${encodeURIComponent(p.taskId)}.${p.ext}?expires=${p.expires}&signature=${sig}`;
  }

  /** Checks a download request's `<taskId>.<ext>`, `expires` and `signature` at time `nowMs`. */
  verify(file: string, expires: unknown, signature: unknown, nowMs: number): VerifyOutcome {
    const dot = file.lastIndexOf('.');
    if (dot <= 0 || typeof expires !== 'string' || typeof signature !== 'string' || !/^\d{1,12}$/.test(expires)) {
      return { ok: false, reason: 'invalid' };
    }
    const taskId = file.slice(0, dot), ext = file.slice(dot + 1), exp = Number(expires);
    if (!constantTimeEqual(this.sign(taskId, ext, exp), signature)) return { ok: false, reason: 'invalid' };
    if (nowMs >= exp * 1000) return { ok: false, reason: 'expired' };
    return { ok: true, taskId, ext, expires: exp };
  }
}
