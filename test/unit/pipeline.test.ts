/** runTask over fakes of the layer below (normaliser, recognizer, renderer), a real SQLite store and fs blobs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { DocrError } from '../../src/domain/errors.js';
import { runTask, TaskAbort, type TaskOutcome } from '../../src/pipeline/index.js';
import type { TaskRecord } from '../../src/ports/task-store.js';
import { createEnv, fakeFetcher, fakeNormaliser, fakeRecognizer, fakeRenderer, type Env } from './pipeline-fakes.js';

const OWNER = 'w1';

async function run(env: Env, task: TaskRecord, deps = env.deps(), limits = env.limits(), signal = new AbortController().signal): Promise<TaskOutcome> {
  const claimed = await env.store.claim(task.id, OWNER, env.clock.now() + 60_000);
  assert.ok(claimed, 'claim');
  return runTask({ task: claimed, owner: OWNER, deps, limits, signal });
}

async function withEnv(fn: (env: Env) => Promise<void>): Promise<void> {
  const env = await createEnv();
  try { await fn(env); } finally { await env.close(); }
}

async function workDirEmpty(env: Env): Promise<void> {
  const left = await readdir(env.limits().workRoot).catch(() => []);
  assert.deepEqual(left, [], 'work dirs left behind');
}

test('a three-page task succeeds with every field set, progress rising, states in order, input removed', () => withEnv(async (env) => {
  const task = await env.addTask();
  const renderer = fakeRenderer();
  const out = await run(env, task, env.deps({ normaliser: fakeNormaliser(['ocr', 'text', 'ocr']), renderers: () => renderer }));
  assert.deepEqual(out, { ended: true, state: 1 });
  const t = await env.store.get(task.id);
  assert.ok(t);
  assert.equal(t.state, 1);
  assert.equal(t.progress, 100);
  assert.equal(t.filePages, 3);
  assert.equal(t.ocrPages, 2, 'the text-layer page is not OCR\'d');
  assert.equal(t.pagesDone, 3);
  assert.equal(t.pagesTotal, 3);
  assert.equal(t.inputKind, 'pdf');
  assert.equal(t.inputSize, 11);
  assert.ok(t.completedAt && t.processedAt);
  assert.equal(t.resultKey, `results/${task.id}.txt`);
  const result = await env.blobs.stat(t.resultKey);
  assert.equal(result?.size, t.outputSize);
  assert.equal(await env.blobs.stat(`inputs/${task.id}`), undefined, 'uploaded input removed');
  assert.deepEqual(renderer.seen.images, [1, 3], 'page images reach the renderer');
  const progress = env.patches.map((p) => p.progress).filter((p): p is number => p !== undefined);
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b), `progress falls: ${progress}`);
  const states = env.patches.map((p) => p.state).filter((s) => s !== undefined);
  assert.deepEqual(states, [2, 3, 6, 5, 1]);
  await workDirEmpty(env);
}));

test('pages of one task are read at once, up to pageConcurrency, and come out in page order', () => withEnv(async (env) => {
  const task = await env.addTask();
  let running = 0, most = 0;
  const base = fakeRecognizer();
  const recognizer = {
    ...base,
    async recognize(img: Parameters<typeof base.recognize>[0], o: Parameters<typeof base.recognize>[1]) {
      running++; most = Math.max(most, running);
      // Earlier pages take longer, so they finish after later ones.
      await new Promise((r) => setTimeout(r, 40 * (5 - img.index)));
      running--;
      return base.recognize(img, o);
    },
  };
  const out = await run(env, task, env.deps({ normaliser: fakeNormaliser(['ocr', 'ocr', 'ocr', 'ocr']), recognizer, pageConcurrency: 2 }));
  assert.deepEqual(out, { ended: true, state: 1 });
  assert.equal(most, 2, 'two pages at a time');
  const t = await env.store.get(task.id);
  const text = (await import('node:stream/consumers')).text;
  assert.equal(await text((await env.blobs.get(t!.resultKey!))!), 'page 1\npage 2\npage 3\npage 4');
  const done = env.patches.map((p) => p.pagesDone).filter((n): n is number => n !== undefined);
  assert.deepEqual(done, [...done].sort((a, b) => a - b), `pagesDone falls: ${done}`);
  assert.deepEqual([...new Set(done)], [0, 1, 2, 3, 4], 'pagesDone counts every page');
}));

test('a one-page task goes through state 4; the source PDF reaches the renderer', () => withEnv(async (env) => {
  const task = await env.addTask();
  const renderer = fakeRenderer();
  const out = await run(env, task, env.deps({ normaliser: fakeNormaliser(['ocr'], { pdfPath: `${env.dir}/tasks.db` }), renderers: () => renderer }));
  assert.equal(out.ended && out.state, 1);
  assert.deepEqual(env.patches.map((p) => p.state).filter((s) => s !== undefined), [2, 3, 4, 5, 1]);
  assert.equal(renderer.seen.sourcePdf, true);
}));

test('a failing page is recorded as a warning and the task goes on', () => withEnv(async (env) => {
  const task = await env.addTask();
  const renderer = fakeRenderer();
  const recognizer = fakeRecognizer((i) => (i === 2 ? new DocrError('ENGINE_FAILED', 'the engine crashed') : `page ${i}`));
  const out = await run(env, task, env.deps({ normaliser: fakeNormaliser(['ocr', 'ocr', 'ocr']), recognizer, renderers: () => renderer }));
  assert.equal(out.ended && out.state, 1);
  assert.deepEqual(renderer.seen.warnings.map((w) => w.length), [0, 1, 0]);
  assert.match(renderer.seen.warnings[1][0], /page 2 .*engine crashed/);
}));

test('every page failing ends in -9; nothing recognised ends in -11', () => withEnv(async (env) => {
  const failing = fakeRecognizer(() => new DocrError('ENGINE_FAILED', 'the engine crashed'));
  const t1 = await env.addTask();
  assert.deepEqual(await run(env, t1, env.deps({ normaliser: fakeNormaliser(['ocr', 'ocr']), recognizer: failing })), { ended: true, state: -9 });
  assert.match((await env.store.get(t1.id))?.errorMessage ?? '', /No page could be read/);
  const t2 = await env.addTask();
  assert.deepEqual(await run(env, t2, env.deps({ normaliser: fakeNormaliser(['ocr', 'ocr']), recognizer: fakeRecognizer(() => '  ') })), { ended: true, state: -11 });
  const t3 = await env.addTask();
  const someFail = fakeRecognizer((i) => (i === 1 ? new DocrError('ENGINE_FAILED', 'x') : ''));
  assert.deepEqual(await run(env, t3, env.deps({ normaliser: fakeNormaliser(['ocr', 'ocr']), recognizer: someFail })), { ended: true, state: -9 });
  await workDirEmpty(env);
}));

test('each failure maps to its state through the catalogue, inputs removed and work dirs cleaned', () => withEnv(async (env) => {
  const url = { kind: 'url' as const, url: 'http://example.com/a.png' };
  const cases: Array<[string, Partial<TaskRecord>, Parameters<Env['deps']>[0], number]> = [
    ['download failed', { source: url }, { fetcher: fakeFetcher(new DocrError('DOWNLOAD_FAILED', 'Downloading image_url failed: HTTP 404.')) }, -3],
    ['download too large', { source: url }, { fetcher: fakeFetcher(new DocrError('DOWNLOAD_TOO_LARGE', 'too large')) }, -5],
    ['invalid file', {}, { normaliser: fakeNormaliser([], { fail: new DocrError('PASSWORD_REQUIRED', 'the PDF needs a password') }) }, -7],
    ['outside limits', {}, { normaliser: fakeNormaliser([], { fail: new DocrError('OUTSIDE_LIMITS', 'too many pages') }) }, -14],
    ['no resources', {}, { recognizer: fakeRecognizer(() => new DocrError('NO_RESOURCES', 'queue full')) }, -15],
    ['renderer bug', {}, { renderers: (f) => fakeRenderer(f, new TypeError('secret internals')) }, -1],
    ['store failure', {}, { blobs: { ...env.blobs, put: async () => { throw new Error('disk full'); } } }, -2],
  ];
  for (const [name, over, deps, state] of cases) {
    const task = await env.addTask(over);
    const out = await run(env, task, env.deps(deps));
    assert.deepEqual(out, { ended: true, state }, name);
    const t = await env.store.get(task.id);
    assert.equal(t?.state, state, name);
    assert.ok(t?.errorMessage && t.errorCode, name);
    assert.ok(t?.completedAt, name);
    if (state === -1) assert.doesNotMatch(t?.errorMessage ?? '', /secret internals/, 'unknown errors get a generic message');
    if (over.source === undefined) assert.equal(await env.blobs.stat(`inputs/${task.id}`), undefined, `${name}: input kept`);
  }
  await workDirEmpty(env);
}));

test('the refund policy gives the credit back for the states it names', () => withEnv(async (env) => {
  const before = (await env.store.getKey('k1'))?.credits ?? 0;
  const task = await env.addTask();
  const limits = env.limits({ refundOn: (s) => [-1, -2, -13, -15].includes(s) });
  await run(env, task, env.deps({ recognizer: fakeRecognizer(() => new DocrError('NO_RESOURCES', 'busy')) }), limits);
  assert.equal((await env.store.getKey('k1'))?.credits, before, 'charged once at insert, refunded once');
  const kept = await env.addTask();
  await run(env, kept, env.deps({ recognizer: fakeRecognizer(() => '') }), limits);
  assert.equal((await env.store.getKey('k1'))?.credits, before - 1, '-11 is not refunded');
}));

test('a hung engine or a page that never renders runs into the time limit: -8, work dir removed, document closed', () => withEnv(async (env) => {
  const task = await env.addTask();
  const normaliser = fakeNormaliser(['ocr', 'ocr']);
  const out = await run(env, task, env.deps({ normaliser, recognizer: fakeRecognizer(() => 'hang') }), env.limits({ processingTimeoutMs: 200 }));
  assert.deepEqual(out, { ended: true, state: -8 });
  assert.equal((await env.store.get(task.id))?.errorCode, 'TIMED_OUT');
  assert.equal(normaliser.closed, 1);
  const stuck = await env.addTask();
  const hanging = fakeNormaliser(['ocr', 'hang']);
  assert.deepEqual(await run(env, stuck, env.deps({ normaliser: hanging }), env.limits({ processingTimeoutMs: 200 })), { ended: true, state: -8 });
  assert.equal(hanging.closed, 1);
  await workDirEmpty(env);
}));

test('cancellation ends in -13; shutdown and a lost lease abandon without a final state', () => withEnv(async (env) => {
  for (const kind of ['cancelled', 'shutdown', 'lease-lost'] as const) {
    const task = await env.addTask();
    const ac = new AbortController();
    const recognizer = fakeRecognizer((i) => { if (i === 2) ac.abort(new TaskAbort(kind)); return i === 2 ? 'hang' : `page ${i}`; });
    const out = await run(env, task, env.deps({ normaliser: fakeNormaliser(['ocr', 'ocr', 'ocr']), recognizer }), env.limits(), ac.signal);
    const t = await env.store.get(task.id);
    if (kind === 'cancelled') {
      assert.deepEqual(out, { ended: true, state: -13 });
      assert.equal(t?.state, -13);
    } else {
      assert.deepEqual(out, { ended: false, reason: kind });
      assert.equal(t?.state, 6, 'still working: the worker re-queues it');
      assert.ok(await env.blobs.stat(`inputs/${task.id}`), 'input kept for the retry');
    }
    // Pages overlap (one more than the cores), so pages 1 and 3 may be given to the engine
    // before or after page 2, but no engine starts after the cancel.
    assert.equal(recognizer.calls.at(-1), 2, 'stops at the page where it was cancelled: no page is read after the cancel');
  }
  await workDirEmpty(env);
}));

test('a task the worker no longer holds is abandoned at the next write', () => withEnv(async (env) => {
  const task = await env.addTask();
  const recognizer = fakeRecognizer((i) => `page ${i}`);
  const store = { ...env.store, update: async () => false };
  const out = await run(env, task, env.deps({ store, recognizer }));
  assert.deepEqual(out, { ended: false, reason: 'lease-lost' });
  assert.deepEqual(recognizer.calls, []);
  await stat(env.dir);
  await workDirEmpty(env);
}));

test('ocr_pages counts pages read by OCR: not text-layer pages, not failed pages', () => withEnv(async (env) => {
  const task = await env.addTask();
  const recognizer = fakeRecognizer((i) => (i === 3 ? new DocrError('ENGINE_FAILED', 'crash') : `page ${i}`));
  await run(env, task, env.deps({ normaliser: fakeNormaliser(['ocr', 'text', 'ocr', 'ocr']), recognizer }));
  const t = await env.store.get(task.id);
  assert.equal(t?.state, 1);
  assert.equal(t?.filePages, 4);
  assert.equal(t?.ocrPages, 2);
}));

test('a cancel that lands while publishing wins: no success is written and the stored result is removed', () => withEnv(async (env) => {
  const task = await env.addTask();
  const renderer = fakeRenderer();
  const render = renderer.render.bind(renderer);
  renderer.render = async (input) => { await env.store.cancel(task.id, 'cancelled by its owner'); return render(input); };
  const out = await run(env, task, env.deps({ renderers: () => renderer }));
  assert.deepEqual(out, { ended: true, state: -13 });
  const t = await env.store.get(task.id);
  assert.equal(t?.errorMessage, 'cancelled by its owner');
  assert.equal(await env.blobs.stat(`results/${task.id}.txt`), undefined);
  await workDirEmpty(env);
}));

test('an upload gone from the blob store ends the task in -1 saying so (the download itself tells, no stat first)', () => withEnv(async (env) => {
  const task = await env.addTask();
  await env.blobs.delete(`inputs/${task.id}`);
  let stats = 0;
  const blobs = { ...env.blobs, stat: async (key: string) => { stats++; return env.blobs.stat(key); } };
  const out = await run(env, task, env.deps({ blobs }));
  assert.deepEqual(out, { ended: true, state: -1 });
  const t = await env.store.get(task.id);
  assert.match(t?.errorMessage ?? '', /uploaded file is no longer available/);
  assert.equal(stats, 0, 'no stat before the download');
  await workDirEmpty(env);
}));
