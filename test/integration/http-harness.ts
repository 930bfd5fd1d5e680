/**
 * A docr HTTP app over the real SQLite store and filesystem blobs in a temp dir, with a
 * recording JobQueue (the worker is not under test here) and a movable clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createFsBlobStore } from '../../src/adapters/blob-store-fs/index.js';
import { createSqliteTaskStore } from '../../src/adapters/task-store-sqlite/index.js';
import { createApiKey } from '../../src/app/keys.js';
import { buildApp } from '../../src/http/app.js';
import type { HttpDeps, HttpLimits } from '../../src/http/context.js';
import { sha256Hex } from '../../src/platform/ids.js';
import { createSecretBox } from '../../src/platform/secret-box.js';
import { ResultUrlSigner } from '../../src/platform/signed-url.js';
import type { JobQueue } from '../../src/ports/job-queue.js';

export class TestClock {
  constructor(public t = Date.now()) {}
  now() { return this.t; }
  advance(ms: number) { this.t += ms; }
}

export class RecordingQueue implements JobQueue {
  ids: string[] = [];
  async enqueue(id: string) { this.ids.push(id); }
  consume() {}
  async size() { return this.ids.length; }
  async close() {}
}

export async function makeHarness(limits: Partial<HttpLimits> = {}, extra: { syncPollMs?: number; headersTimeoutMs?: number; trustProxy?: boolean; logger?: HttpDeps['logger']; outboundAllow?: HttpDeps['outboundAllow'] } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-http-'));
  const clock = new TestClock();
  const store = createSqliteTaskStore({ path: path.join(dir, 'docr.db'), clock });
  const blobs = createFsBlobStore(path.join(dir, 'blobs'));
  const queue = new RecordingQueue();
  const secret = randomBytes(24).toString('hex');
  const app = buildApp({
    store, blobs, queue, clock, signer: new ResultUrlSigner(secret), secrets: createSecretBox(secret), logLevel: 'silent',
    limits: { maxUploadBytes: 200 * 1024 * 1024, resultTtlSeconds: 3600, syncWaitSeconds: 2, queryQps: 50, ...limits },
    syncPollMs: extra.syncPollMs ?? 20, headersTimeoutMs: extra.headersTimeoutMs, trustProxy: extra.trustProxy, logger: extra.logger, outboundAllow: extra.outboundAllow,
  });
  await app.ready();
  return {
    app, store, blobs, queue, clock, dir,
    async key(credits = 100, qps = 1000) { return (await createApiKey(store, clock, { credits, qps, name: 'test' })).key; },
    /** The stored record of a key. */
    async record(key: string) { return (await store.findKeyByHash(sha256Hex(key)))!; },
    async close() { await app.close(); await store.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** A multipart/form-data body: text fields, and files as { filename, content }. */
export function multipart(fields: Record<string, string | { filename: string; content: Buffer }>) {
  const boundary = `----docr${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, v] of Object.entries(fields)) {
    if (typeof v === 'string') {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${v.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`), v.content, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A small real PNG (1x1), enough for the create path (the worker is not running here). */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export const TASKS = '/api/tasks/document/ocr';
