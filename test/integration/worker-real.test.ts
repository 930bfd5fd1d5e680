/**
 * The worker with the real layer below (normaliser, recognizer, layout, renderers) on small
 * corpus files: an OCR'd line image and a born-digital PDF whose text layer needs no OCR.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { cer } from '../../bench/lib/cer.js';
import { createLocalJobQueue } from '../../src/adapters/job-queue-local/index.js';
import { createRecognizer } from '../../src/engines/index.js';
import { createNormaliser } from '../../src/normalisers/index.js';
import type { Notifier } from '../../src/ports/notifier.js';
import { createRenderers } from '../../src/renderers/index.js';
import { startWorker } from '../../src/worker/index.js';
import { createEnv, type Env } from '../unit/pipeline-fakes.js';

process.env.OMP_THREAD_LIMIT ??= '1';
import { CORPUS as corpus } from '../fixtures/corpus.js';
const noCallbacks: Notifier = { deliver: async () => ({ attempts: 0, delivered: false }) };

async function ended(env: Env, id: string) {
  const end = Date.now() + 120_000;
  for (;;) {
    const t = await env.store.get(id);
    if (t && (t.state === 1 || t.state < 0)) return t;
    assert.ok(Date.now() < end, 'task did not end');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function addUpload(env: Env, file: string, format: 'txt' | 'pdf') {
  const task = await env.addTask({ options: { languages: ['English'], format, sync: false } });
  // Replace the placeholder input with the corpus file.
  await env.blobs.put(`inputs/${task.id}`, Readable.from(await readFile(path.join(corpus, file))));
  return task;
}

test('real normaliser, engine, layout and renderers through the worker', async () => {
  const env = await createEnv();
  const recognizer = createRecognizer({ workers: 1 });
  const normaliser = createNormaliser();
  const queue = createLocalJobQueue();
  const w = startWorker({
    ...env.deps(), analyseLayout: undefined, normaliser, recognizer, renderers: createRenderers(), queue, notifier: noCallbacks,
    options: { concurrency: 1, processingTimeoutMs: 120_000, leaseMs: 30_000, maxAttempts: 3, workDir: env.limits().workRoot, urlMaxBytes: 1 << 20 },
  });
  try {
    await w.ready;
    const line = await addUpload(env, 'images-en/ocropy_0079-01000d.png', 'txt');
    await queue.enqueue(line.id);
    const t1 = await ended(env, line.id);
    assert.equal(t1.state, 1, t1.errorMessage);
    assert.equal(t1.ocrPages, 1);
    assert.equal(t1.inputKind, 'png');
    const text = await readBlob(env, t1.resultKey);
    const gt = await readFile(path.join(corpus, 'images-en/ocropy_0079-01000d.gt.txt'), 'utf8');
    assert.ok(cer(text.toString('utf8'), gt) < 0.15, `CER too high: ${text}`);

    const pdf = await addUpload(env, 'pdf/pypdf_crazyones.pdf', 'pdf');
    await queue.enqueue(pdf.id);
    const t2 = await ended(env, pdf.id);
    assert.equal(t2.state, 1, t2.errorMessage);
    assert.equal(t2.filePages, 1);
    assert.equal(t2.ocrPages, 0, 'the text layer is taken as is');
    assert.equal((await readBlob(env, t2.resultKey)).subarray(0, 5).toString('latin1'), '%PDF-');
  } finally {
    await w.stop(5000);
    await recognizer.close();
    await normaliser.close();
    await env.close();
  }
});

async function readBlob(env: Env, key: string | undefined): Promise<Buffer> {
  assert.ok(key);
  const stream = await env.blobs.get(key);
  assert.ok(stream);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
