/**
 * The engine pool with real Tesseract instances and fault-injecting engines passed through
 * the same `descriptors` seam production uses: crashes, hangs and unloadable models end as
 * clean DocrErrors, and the pool keeps working afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { cer } from '../../bench/lib/cer.js';
import { DocrError } from '../../src/domain/errors.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { createRecognizer } from '../../src/engines/index.js';
import { ENGINE_DESCRIPTORS } from '../../src/engines/registry.js';
import type { EngineDescriptor, PageImage, Recognizer } from '../../src/ports/ocr-engine.js';
import { crashingDescriptor, hangingDescriptor, unloadableDescriptor } from '../fixtures/faulty-engines.js';
import { corpusImage, groundTruth } from '../fixtures/corpus.js';

const tesseract = ENGINE_DESCRIPTORS.find((d) => d.id === 'tesseract')!;
const PAGE = 'images-en/tessjs_testocr.png';

async function assertReadsGerman(r: Recognizer, image: PageImage): Promise<void> {
  const page = await r.recognize(image, { languages: ['German'] });
  const c = cer(renderTxt({ pages: [page], languages: ['German'] }), groundTruth(PAGE));
  assert.ok(c < 0.1, `CER ${c}`);
}

/** Tesseract processes that are children of this process (any thread), from /proc. */
function childTesseracts(): string[] {
  const pids = readdirSync('/proc/self/task').flatMap((t) => {
    try { return readFileSync(`/proc/self/task/${t}/children`, 'utf8').split(' ').filter((x) => x.trim() !== ''); } catch { return []; }
  });
  return pids.filter((pid) => {
    try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('tesseract'); } catch { return false; }
  });
}

function rejectsWith(code: string) {
  return (e: unknown) => e instanceof DocrError && e.code === code;
}

function faultyRecognizer(extra: EngineDescriptor[], opts: { workers?: number; pageTimeoutMs?: number } = {}): Recognizer {
  return createRecognizer({ workers: opts.workers ?? 1, pageTimeoutMs: opts.pageTimeoutMs ?? 60_000, descriptors: [...extra, tesseract] });
}

test('a crashing engine fails its page with ENGINE_FAILED; the pool then reads pages', async () => {
  const r = faultyRecognizer([crashingDescriptor]);
  const image = await corpusImage(PAGE);
  try {
    await assert.rejects(r.recognize(image, { languages: ['Welsh'] }), rejectsWith('ENGINE_FAILED'));
    await assertReadsGerman(r, image);
    await assert.rejects(r.recognize(image, { languages: ['Welsh'] }), rejectsWith('ENGINE_FAILED'));
    await assertReadsGerman(r, image);
  } finally { await r.close(); }
});

test('a hanging engine times out with TIMED_OUT, is replaced, and the pool then reads pages', async () => {
  const r = faultyRecognizer([hangingDescriptor], { pageTimeoutMs: 1_500 });
  const image = await corpusImage(PAGE);
  try {
    await assert.rejects(r.recognize(image, { languages: ['Maori'] }), rejectsWith('TIMED_OUT'));
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

test('a page over the time limit is TIMED_OUT and its tesseract process is killed', async () => {
  const r = createRecognizer({ workers: 1, pageTimeoutMs: 1_500, descriptors: [tesseract] });
  const image = await corpusImage(PAGE);
  try {
    await assert.rejects(r.recognize(await corpusImage('images-en/unlv_8087_054.3B.png'), { languages: ['German'] }), rejectsWith('TIMED_OUT'));
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

