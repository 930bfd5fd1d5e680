/**
 * The engine pool with real Tesseract instances and fault-injecting engines passed through
 * the same `descriptors` seam production uses: crashes (a thrown error, SIGSEGV), hangs,
 * garbage answers, runaway memory and unloadable models end as clean DocrErrors, a page that
 * lost its instance is retried once on a fresh one, and the pool keeps working afterwards.
 * Instances are child processes (the default); one test runs them as threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cer } from '../../bench/lib/cer.js';
import { DocrError } from '../../src/domain/errors.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { createRecognizer } from '../../src/engines/index.js';
import { ENGINE_DESCRIPTORS } from '../../src/engines/registry.js';
import type { EngineDescriptor, PageImage, Recognizer } from '../../src/ports/ocr-engine.js';
import { descendantsOf } from '../../src/platform/process-tree.js';
import {
  crashingDescriptor, garbageDescriptor, hangingDescriptor, memoryHogDescriptor, segfaultingDescriptor, segfaultingOnceDescriptor, unloadableDescriptor,
} from '../fixtures/faulty-engines.js';
import { corpusImage, groundTruth } from '../fixtures/corpus.js';

const tesseract = ENGINE_DESCRIPTORS.find((d) => d.id === 'tesseract')!;
const PAGE = 'images-en/tessjs_testocr.png';

async function assertReadsGerman(r: Recognizer, image: PageImage): Promise<void> {
  const page = await r.recognize(image, { languages: ['German'] });
  const c = cer(renderTxt({ pages: [page], languages: ['German'] }), groundTruth(PAGE));
  assert.ok(c < 0.1, `CER ${c}`);
}

/** Tesseract processes below this one (run by engine processes), from /proc. */
function childTesseracts(): number[] {
  return descendantsOf(process.pid).filter((pid) => {
    try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('tesseract'); } catch { return false; }
  });
}

function rejectsWith(code: string) {
  return (e: unknown) => e instanceof DocrError && e.code === code;
}

type FaultOptions = { workers?: number; pageTimeoutMs?: number; memoryCapBytes?: number; restarts?: string[]; isolation?: 'process' | 'thread' };

function faultyRecognizer(extra: EngineDescriptor[], opts: FaultOptions = {}): Recognizer {
  return createRecognizer({
    workers: opts.workers ?? 1, pageTimeoutMs: opts.pageTimeoutMs ?? 60_000, descriptors: [...extra, tesseract],
    memoryCapBytes: opts.memoryCapBytes, isolation: opts.isolation, onRestart: (id, why) => opts.restarts?.push(`${id}: ${why}`),
  });
}

function crashedTwice(why: RegExp) {
  return (e: unknown) => e instanceof DocrError && e.code === 'ENGINE_CRASHED' && /failed twice on page 1/.test(e.message) && why.test(e.message);
}

test('an engine that throws out of its host is retried once, then ENGINE_CRASHED; the pool then reads pages', async () => {
  const restarts: string[] = [];
  const r = faultyRecognizer([crashingDescriptor], { restarts });
  const image = await corpusImage(PAGE);
  try {
    await assert.rejects(r.recognize(image, { languages: ['Welsh'] }), crashedTwice(/exited with code 1/));
    assert.equal(restarts.length, 2, restarts.join('\n'));
    await assertReadsGerman(r, image);
  } finally { await r.close(); }
});

test('SIGSEGV in an engine kills only its process: the page is retried on a fresh one, the pool reads on', async () => {
  const restarts: string[] = [];
  const r = faultyRecognizer([segfaultingDescriptor, segfaultingOnceDescriptor], { restarts });
  const image = await corpusImage(PAGE);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docr-crash-once-'));
  process.env.DOCR_TEST_CRASH_ONCE = path.join(dir, 'crashed');
  try {
    await assert.rejects(r.recognize(image, { languages: ['Esperanto'] }), crashedTwice(/killed by SIGSEGV/));
    const page = await r.recognize(image, { languages: ['Corsican'] });
    assert.equal(page.blocks[0].lines[0].text, 'recovered after a crash');
    assert.equal(restarts.length, 3, restarts.join('\n'));
    await assertReadsGerman(r, image);
  } finally { await r.close(); delete process.env.DOCR_TEST_CRASH_ONCE; rmSync(dir, { recursive: true, force: true }); }
});

test('a hanging engine times out, is killed and replaced, its page retried once, then ENGINE_CRASHED', async () => {
  // Generous: the same limit applies to the German page read afterwards on a busy machine.
  const r = faultyRecognizer([hangingDescriptor], { pageTimeoutMs: 5_000 });
  const image = await corpusImage(PAGE);
  try {
    await assert.rejects(r.recognize(image, { languages: ['Maori'] }), crashedTwice(/took longer than 5 s/));
    await assertReadsGerman(r, image);
  } finally { await r.close(); }
});

test('an engine answering garbage (wrong size, NaN boxes) fails its page with ENGINE_FAILED, not retried', async () => {
  const restarts: string[] = [];
  const r = faultyRecognizer([garbageDescriptor], { restarts });
  const image = await corpusImage(PAGE);
  try {
    await assert.rejects(r.recognize(image, { languages: ['Yiddish'] }), (e: unknown) => e instanceof DocrError && e.code === 'ENGINE_FAILED' && /unusable result/.test(e.message));
    assert.deepEqual(restarts, []);
    await assertReadsGerman(r, image);
  } finally { await r.close(); }
});

test('an engine whose memory grows without bound is killed at its cap, retried once, then ENGINE_CRASHED', async () => {
  const r = faultyRecognizer([memoryHogDescriptor], { memoryCapBytes: 512 * 1024 * 1024 });
  const image = await corpusImage(PAGE);
  try {
    await assert.rejects(r.recognize(image, { languages: ['Breton'] }), crashedTwice(/more than its 512 MB cap/));
    await assertReadsGerman(r, image);
  } finally { await r.close(); }
});

test('instances can run as worker threads instead (isolation: thread)', async () => {
  const r = faultyRecognizer([crashingDescriptor], { isolation: 'thread' });
  const image = await corpusImage(PAGE);
  try {
    await assertReadsGerman(r, image);
    await assert.rejects(r.recognize(image, { languages: ['Welsh'] }), rejectsWith('ENGINE_CRASHED'));
    await assertReadsGerman(r, image);
  } finally { await r.close(); }
});

test('an engine that cannot load its models fails the page with a clean error', async () => {
  const r = faultyRecognizer([unloadableDescriptor]);
  const image = await corpusImage(PAGE);
  try {
    await assert.rejects(r.recognize(image, { languages: ['Tongan'] }), rejectsWith('ENGINE_FAILED'));
    await assertReadsGerman(r, image);
  } finally { await r.close(); }
});

test('a full queue rejects with NO_RESOURCES; accepted pages are still read', async () => {
  const r = createRecognizer({ workers: 1, queueLimit: 1, descriptors: [tesseract] });
  const image = await corpusImage(PAGE);
  try {
    const first = r.recognize(image, { languages: ['German'] });
    const second = r.recognize(image, { languages: ['German'] });
    await assert.rejects(r.recognize(image, { languages: ['German'] }), rejectsWith('NO_RESOURCES'));
    await Promise.all([first, second]);
  } finally { await r.close(); }
});

test('cancellation: a running and a queued page reject with CANCELLED; the pool carries on', async () => {
  const r = createRecognizer({ workers: 1, descriptors: [tesseract] });
  const big = await corpusImage('images-en/ocrmypdf_linn.png');
  const image = await corpusImage(PAGE);
  try {
    const ac = new AbortController();
    const running = assert.rejects(r.recognize(big, { languages: ['German'], signal: ac.signal }), rejectsWith('CANCELLED'));
    const queued = assert.rejects(r.recognize(big, { languages: ['German'], signal: ac.signal }), rejectsWith('CANCELLED'));
    setTimeout(() => ac.abort(), 300);
    await Promise.all([running, queued]);
    await sleep(200);
    assert.deepEqual(childTesseracts(), [], 'the cancelled page left its tesseract process running');
    await assert.rejects(r.recognize(image, { languages: ['German'], signal: AbortSignal.abort() }), rejectsWith('CANCELLED'));
    await assertReadsGerman(r, image);
  } finally { await r.close(); }
});

test('a page over the time limit is retried once, then given up, and its tesseract processes are killed', async () => {
  const r = createRecognizer({ workers: 1, pageTimeoutMs: 1_500, descriptors: [tesseract] });
  const image = await corpusImage(PAGE);
  try {
    await assert.rejects(r.recognize(await corpusImage('images-en/unlv_8087_054.3B.png'), { languages: ['German'] }), rejectsWith('ENGINE_CRASHED'));
    await sleep(1_500);
    assert.deepEqual(childTesseracts(), []);
    await assertReadsGerman(r, image);
  } finally { await r.close(); }
});

test('recycling after N pages keeps results correct', async () => {
  const r = createRecognizer({ workers: 1, recycleAfterPages: 1, descriptors: [tesseract] });
  const image = await corpusImage(PAGE);
  try {
    for (let i = 0; i < 3; i++) await assertReadsGerman(r, image);
  } finally { await r.close(); }
});

test('recycling at the memory high-water mark keeps results correct', async () => {
  const r = createRecognizer({ workers: 1, rssHighWaterBytes: 1, descriptors: [tesseract] });
  const line = 'images-en/uw3_1180_010028.png';
  const image = await corpusImage(line);
  try {
    for (let i = 0; i < 7; i++) {
      const page = await r.recognize(image, { languages: ['English'] });
      const c = cer(renderTxt({ pages: [page], languages: ['English'] }), groundTruth(line));
      assert.ok(c < 0.05, `page ${i}: CER ${c}`);
    }
  } finally { await r.close(); }
});

test('both real engines share one instance slot: PP-OCR for English, Tesseract for German, swapped as needed', async () => {
  const r = createRecognizer({ workers: 1 });
  const image = await corpusImage(PAGE);
  try {
    assert.equal(r.route(['English']), 'ppocr');
    for (const languages of [['English'], ['German'], ['ChinesePRC', 'English', 'Digits']]) {
      const page = await r.recognize(image, { languages });
      const c = cer(renderTxt({ pages: [page], languages }), groundTruth(PAGE));
      assert.ok(c < 0.1, `${languages.join(',')}: CER ${c}`);
    }
  } finally { await r.close(); }
});

