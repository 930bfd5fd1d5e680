/**
 * Faults mid-task through the seams production uses (issue 13): an engine that dies of
 * SIGSEGV, always or once, a LibreOffice that hangs, and a store write that fails. The
 * server keeps answering, each faulty task ends in a documented state with a message, a
 * task beside them is not affected, and /metrics tells an operator what happened.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalJobQueue } from '../../src/adapters/job-queue-local/index.js';
import { createRecognizer } from '../../src/engines/index.js';
import { ENGINE_DESCRIPTORS } from '../../src/engines/registry.js';
import { buildApp } from '../../src/http/app.js';
import { createNormaliser } from '../../src/normalisers/index.js';
import { Metrics } from '../../src/platform/metrics.js';
import { createSecretBox } from '../../src/platform/secret-box.js';
import { descendantsOf } from '../../src/platform/process-tree.js';
import { ResultUrlSigner } from '../../src/platform/signed-url.js';
import type { Notifier } from '../../src/ports/notifier.js';
import type { TaskRecord, TaskStore } from '../../src/ports/task-store.js';
import { createRenderers } from '../../src/renderers/index.js';
import { startWorker } from '../../src/worker/index.js';
import { corpusPath } from '../fixtures/corpus.js';
import { segfaultingDescriptor, segfaultingOnceDescriptor } from '../fixtures/faulty-engines.js';
import { createEnv, type Env } from '../unit/pipeline-fakes.js';

process.env.OMP_THREAD_LIMIT ??= '1';
const tesseract = ENGINE_DESCRIPTORS.find((d) => d.id === 'tesseract')!;
const noCallbacks: Notifier = { deliver: async () => ({ attempts: 0, delivered: false }) };

async function ended(env: Env, id: string): Promise<TaskRecord> {
  const end = Date.now() + 120_000;
  for (;;) {
    const t = await env.store.get(id);
    if (t && (t.state === 1 || t.state < 0)) return t;
    assert.ok(Date.now() < end, `task ${id} did not end (state ${t?.state})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('SIGSEGV in an engine, a hanging LibreOffice and a failing store write end their own tasks only', async () => {
  const env = await createEnv();
  // A LibreOffice that never answers: the conversion's process group is killed at its timeout.
  const soffice = path.join(env.dir, 'soffice-that-hangs');
  writeFileSync(soffice, '#!/bin/sh\nsleep 600\n');
  chmodSync(soffice, 0o755);
  process.env.DOCR_TEST_CRASH_ONCE = path.join(env.dir, 'crashed-once');
  // The store refuses one task's final write, and then the write that would record the
  // failure (a disk error at the worst moment): the run ends without a final state, and the
  // task is recovered once its lease runs out.
  let refused = 0;
  let failingId = '';
  const store: TaskStore = {
    ...env.store,
    update: async (id, owner, patch) => {
      if (id === failingId && patch.state !== undefined && (patch.state === 1 || patch.state < 0) && refused++ < 2) throw new Error('SQLITE_IOERR: disk I/O error');
      return env.store.update(id, owner, patch);
    },
  };
  const metrics = new Metrics();
  const recognizer = createRecognizer({ workers: 2, descriptors: [segfaultingDescriptor, segfaultingOnceDescriptor, tesseract], metrics });
  const normaliser = createNormaliser({ sofficePath: soffice, officeTimeoutMs: 3_000, officeWarm: false });
  const queue = createLocalJobQueue();
  const worker = startWorker({
    ...env.deps(), store, analyseLayout: undefined, normaliser, recognizer, renderers: createRenderers(), queue, notifier: noCallbacks, metrics,
    options: { concurrency: 4, processingTimeoutMs: 120_000, leaseMs: 1_500, pollMs: 200, maxAttempts: 3, workDir: env.limits().workRoot, urlMaxBytes: 1 << 20 },
  });
  const secret = randomBytes(24).toString('hex');
  const app = buildApp({
    store, blobs: env.blobs, queue, clock: env.clock, signer: new ResultUrlSigner(secret), secrets: createSecretBox(secret), logLevel: 'silent', registry: metrics,
    limits: { maxUploadBytes: 1 << 20, resultTtlSeconds: 3600, syncWaitSeconds: 1, queryQps: 50 },
  });
  const add = async (file: string, languages: string[], callbackUrl?: string) => {
    const task = await env.addTask({ options: { languages, format: 'txt', sync: false, callbackUrl } });
    await env.blobs.put(`inputs/${task.id}`, readFileSync(corpusPath(file)));
    return task;
  };
  try {
    await worker.ready;
    const crashing = await add('images-en/tessjs_testocr.png', ['Esperanto']);
    const crashingOnce = await add('images-en/tessjs_testocr.png', ['Corsican']);
    const bystander = await add('images-en/tessjs_testocr.png', ['German'], 'https://example.com/hook');
    const office = await add('office/poi_stress009.docx', ['English']);
    const storeFails = await add('images-en/tessjs_testocr.png', ['German']);
    failingId = storeFails.id;
    for (const t of [crashing, crashingOnce, bystander, office, storeFails]) await queue.enqueue(t.id);

    const health = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200, 'the server answers while engines crash');

    const a = await ended(env, crashing.id);
    assert.equal(a.state, -13, JSON.stringify(a));
    assert.equal(a.errorCode, 'ENGINE_CRASHED');
    assert.match(a.errorMessage ?? '', /failed twice on page 1 \(its instance was killed by SIGSEGV\)/);
    const b = await ended(env, crashingOnce.id);
    assert.equal(b.state, 1, `retried on a fresh instance: ${b.errorMessage}`);
    const c = await ended(env, bystander.id);
    assert.equal(c.state, 1, c.errorMessage);
    const text = await env.blobs.get(c.resultKey!);
    assert.ok(text, 'the bystander has its result');
    const d = await ended(env, office.id);
    assert.equal(d.state, -7, JSON.stringify(d));
    assert.match(d.errorMessage ?? '', /could not be converted/);
    const e = await ended(env, storeFails.id);
    assert.equal(e.state, 1, `recovered after the failed write: ${e.errorMessage}`);
    assert.equal(e.attempts, 2);
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const left = descendantsOf(process.pid).filter((pid) => {
      try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sleep'); } catch { return false; }
    });
    assert.deepEqual(left, [], 'the hanging LibreOffice was killed');

    let scrape = '';
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(scrape)?.[1]);
    // The worker records a task's end just after writing it: give the last one a moment.
    for (let i = 0; i < 50 && value('docr_tasks_finished_total{state="1",code="none"}') !== 3; i++) {
      scrape = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(value('docr_engine_restarts_total{engine="segfaulting"}'), 2, scrape);
    assert.equal(value('docr_engine_restarts_total{engine="segfaulting-once"}'), 1);
    assert.equal(value('docr_tasks_finished_total{state="-13",code="ENGINE_CRASHED"}'), 1);
    assert.equal(value('docr_tasks_finished_total{state="-7",code="INVALID_FILE"}'), 1);
    assert.equal(value('docr_tasks_finished_total{state="1",code="none"}'), 3);
    assert.equal(value('docr_pages_total{engine="segfaulting",outcome="ENGINE_CRASHED"}'), 1);
    assert.ok(value('docr_pages_total{engine="tesseract",outcome="read"}') >= 2);
    assert.ok(value('docr_page_seconds_count{engine="tesseract"}') >= 2);
    assert.equal(value('docr_task_seconds_count{outcome="succeeded"}'), 3);
    // The notifier here records nothing in the store, so the callback stays due and is tried on every poll.
    assert.ok(value('docr_callbacks_total{outcome="failed"}') >= 1, 'the bystander\'s callback attempts');
    assert.equal(value('docr_queue_oldest_age_seconds'), 0);
  } finally {
    delete process.env.DOCR_TEST_CRASH_ONCE;
    await worker.stop(5_000);
    await app.close();
    await recognizer.close();
    await normaliser.close();
    await env.close();
  }
});
