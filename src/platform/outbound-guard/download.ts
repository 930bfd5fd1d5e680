/**
 * The SourceFetcher for `image_url` (SPEC §5): a guarded GET on ports 80/443, streamed to a
 * file with the size cap enforced as bytes arrive (a lying or missing Content-Length does
 * not matter). Failures become DocrError DOWNLOAD_FAILED (-3) with what happened, or
 * DOWNLOAD_TOO_LARGE (-5); a caller abort rejects with the signal's reason.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DocrError } from '../../domain/errors.js';
import type { FetchOptions, SourceFetcher } from '../../ports/source-fetcher.js';
import { createOutboundGuard, discard, type OutboundGuard, type OutboundPolicy } from './guarded-request.js';
import { OutboundError } from './outbound-error.js';

export interface DownloadPolicy extends OutboundPolicy {
  /** Whole download, default 60 s. */
  totalTimeoutMs?: number;
  /** Ports image_url may use; default 80 and 443 (SPEC §1.2). */
  ports?: readonly number[];
}

export function createGuardedFetcher(policy: DownloadPolicy = {}, guard: OutboundGuard = createOutboundGuard(policy)): SourceFetcher {
  const ports = policy.ports ?? [80, 443];
  const totalTimeoutMs = policy.totalTimeoutMs ?? 60_000;
  return {
    async fetch(url: string, toPath: string, options: FetchOptions): Promise<number> {
      try {
        return await download(guard, url, toPath, { ...options, ports, totalTimeoutMs });
      } catch (e) {
        await rm(toPath, { force: true });
        if (options.signal?.aborted) throw options.signal.reason;
        throw toDownloadError(e, options.maxBytes);
      }
    },
  };
}

async function download(guard: OutboundGuard, url: string, toPath: string,
  o: FetchOptions & { ports: readonly number[]; totalTimeoutMs: number }): Promise<number> {
  const res = await guard.request(url, { method: 'GET', ports: o.ports, totalTimeoutMs: o.totalTimeoutMs, signal: o.signal });
  if (res.status < 200 || res.status > 299) {
    discard(res.body);
    throw new OutboundError('http-status', `the server answered HTTP ${res.status}`, { status: res.status });
  }
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > o.maxBytes) {
    discard(res.body);
    throw new OutboundError('too-large', 'declared length over the cap', { declared });
  }
  let size = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > o.maxBytes) done(new OutboundError('too-large', 'body over the cap'));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(res.body, cap, createWriteStream(toPath));
  } catch (e) {
    throw res.failure(e);
  }
  return size;
}

const sizeText = (n: number) => (n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MB` : `${n} bytes`);

function toDownloadError(e: unknown, maxBytes: number): DocrError {
  if (e instanceof DocrError) return e;
  if (e instanceof OutboundError) {
    if (e.kind === 'too-large') {
      return new DocrError('DOWNLOAD_TOO_LARGE', `image_url content is larger than ${sizeText(maxBytes)}; send a smaller file or upload it as image_file.`, { maxBytes }, { cause: e });
    }
    return new DocrError('DOWNLOAD_FAILED', `Downloading image_url failed: ${e.message}.`, { reason: e.kind, ...e.details }, { cause: e });
  }
  return new DocrError('DOWNLOAD_FAILED', 'Downloading image_url failed: the transfer broke off.', { reason: 'network' }, { cause: e });
}
