/**
 * Workers on scaled mode's plumbing: two worker processes' views (each its own PostgreSQL pool
 * and BullMQ consumer) of one database and one queue, with the layer below the pipeline faked.
 * A worker stopped mid-task hands it back through the queue and the other one finishes it;
 * a task is run once however many workers are offered it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsBlobStore } from '../../src/adapters/blob-store-fs/index.js';
import { createBullmqJobQueue } from '../../src/adapters/job-queue-bullmq/index.js';
import { createPostgresTaskStore, migrate } from '../../src/adapters/task-store-postgres/index.js';
import type { Notifier } from '../../src/ports/notifier.js';
import type { Recognizer } from '../../src/ports/ocr-engine.js';
import type { TaskRecord } from '../../src/ports/task-store.js';
import { startWorker, type WorkerHandle } from '../../src/worker/index.js';
import { createRedisPrefix, createTestDatabase } from '../fixtures/scaled-services.js';
import { makeKey } from '../contract/task-store.suite.js';
import { fakeFetcher, fakeNormaliser, fakeRecognizer, fakeRenderer, silentLog } from '../unit/pipeline-fakes.js';

const noCallbacks: Notifier = { deliver: async () => ({ attempts: 0, delivered: true }) };

describe('workers on PostgreSQL and BullMQ', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: Awaited<ReturnType<typeof createRedisPrefix>>;
  let dir: string;
  const opened: { close(): Promise<void> }[] = [];
  before(async () => {
    [db, redis] = await Promise.all([createTestDatabase(), createRedisPrefix()]);
    dir = await mkdtemp(join(tmpdir(), 'docr-scaled-worker-'));
    const store = createPostgresTaskStore({ connectionString: db.url });
    await migrate(store.pool);
    await store.close();
  });
  after(async () => {
    for (const o of opened.reverse()) await o.close().catch(() => {});
    await Promise.all([db.drop(), redis.drop(), rm(dir, { recursive: true, force: true })]);
  });

  /** One worker process: its own store pool and queue consumer. */
  function workerProcess(name: string, recognizer: Recognizer) {
    const store = createPostgresTaskStore({ connectionString: db.url });
    const queue = createBullmqJobQueue({ redisUrl: redis.url, prefix: redis.prefix, stallMs: 5000 });
    const blobs = createFsBlobStore(join(dir, 'blobs'));
    const worker: WorkerHandle = startWorker({
      store, blobs, queue, recognizer, clock: { now: () => Date.now() }, log: silentLog, notifier: noCallbacks,
      normaliser: fakeNormaliser(['ocr', 'ocr', 'ocr']), renderers: (f) => fakeRenderer(f), fetcher: fakeFetcher('x'), analyseLayout: async (p) => p,
      options: { concurrency: 1, processingTimeoutMs: 30_000, leaseMs: 5000, maxAttempts: 3, workDir: join(dir, `work-${name}`), urlMaxBytes: 1 << 20, pollMs: 100 },
    });
    opened.push({ close: async () => { await worker.stop(500); await store.close(); } });
    return { store, queue, blobs, worker };
  }

  async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
    const end = Date.now() + 20_000;
    for (;;) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() > end) assert.fail(`timed out waiting for: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a worker stopped mid-task hands it back through the queue; the other worker finishes it', async () => {
    const hung = fakeRecognizer(() => 'hang');
    const a = workerProcess('a', hung);
    await a.worker.ready;
    const key = makeKey({ credits: 5 });
    await a.store.createKey(key);
    const task: TaskRecord = {
      id: `t-${Date.now()}`, keyId: key.id, state: 0, progress: 0, createdAt: Date.now(), attempts: 0,
      source: { kind: 'upload', blobKey: 'inputs/handback', size: 1 }, options: { languages: ['English'], format: 'txt', sync: false },
    };
    await a.blobs.put('inputs/handback', Buffer.from('x'));
    await a.store.insertCharged(task);
    await a.queue.enqueue(task.id);
    await until('worker a is on page 1', async () => (hung.calls.length > 0 ? true : undefined));
    await a.worker.stop(100); // SIGTERM with a short grace: the page never ends, so the task goes back
    const back = await a.store.get(task.id);
    assert.equal(back?.state, 0, 'queued again');
    assert.equal(back?.attempts, 1);

    const good = fakeRecognizer();
    const b = workerProcess('b', good);
    const done = await until('worker b finished it', async () => { const t = await b.store.get(task.id); return t?.state === 1 ? t : undefined; });
    assert.equal(done.attempts, 2);
    assert.match(done.leaseOwner ?? '', /^worker-/);
    assert.equal(good.calls.length, 3, 'every page read once by b');
  });
});
