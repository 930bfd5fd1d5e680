/**
 * Result URLs (SPEC §1.3: valid for the result TTL after completion): presigned by the object
 * store when it can give one (scaled: S3), else this API's own signed /api/results/ URL under
 * the request's base, or for callbacks under --public-url, else the bound address.
 */
import type { DocrConfig } from '../config/index.js';
import { CONTENT_TYPES } from '../contract/formats.js';
import { ResultUrlSigner } from '../platform/signed-url.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { TaskRecord } from '../ports/task-store.js';

export interface ResultLinks {
  readonly signer: ResultUrlSigner;
  /** The result's URL; `base` is the API base the client used (default: the callback base). */
  urlOf(task: TaskRecord, base?: string): Promise<string>;
  /** The base for callbacks once the API knows its bound port (ignored when --public-url is set). */
  setSelfBase(base: string): void;
}

export function createResultLinks(config: Pick<DocrConfig, 'publicUrl' | 'host' | 'port' | 'resultTtl'>,
  blobs: BlobStore, urlSecret: string, clock: Clock): ResultLinks {
  const signer = new ResultUrlSigner(urlSecret);
  let selfBase = config.publicUrl ?? `http://${loopbackFor(config.host)}:${config.port}`;
  return {
    signer,
    async urlOf(task, base = selfBase) {
      const expires = Math.floor((task.completedAt ?? clock.now()) / 1000) + config.resultTtl;
      const format = task.options.format;
      if (blobs.directUrl && task.resultKey) {
        return blobs.directUrl(task.resultKey, { expiresAt: expires * 1000, filename: `${task.id}.${format}`, contentType: CONTENT_TYPES[format] });
      }
      return signer.urlFor(base, { taskId: task.id, ext: format, expires });
    },
    setSelfBase(base) {
      if (!config.publicUrl) selfBase = base;
    },
  };
}

export function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
