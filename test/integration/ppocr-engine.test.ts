/**
 * The PP-OCR engine on real corpus images: accuracy by CER thresholds (never exact strings),
 * tree shape, rotation, skew, mixed Chinese/English with digits, spaces, Digits-only mode and
 * cancellation. The models are loaded once for the file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { cer } from '../../bench/lib/cer.js';
import { createPpocrEngine, ppocrDescriptor } from '../../src/engines/ppocr/index.js';
import type { OcrEngine, PageImage } from '../../src/ports/ocr-engine.js';
import { pageLines, type Page } from '../../src/domain/ocr-tree.js';
import { DocrError } from '../../src/domain/errors.js';

import { CORPUS as corpus } from '../fixtures/corpus.js';
const ALL = ['ChinesePRC', 'English', 'Digits'];
let engine: OcrEngine;

before(async () => { engine = await createPpocrEngine({ threads: 2 }); });
after(async () => { await engine.close(); });

async function pageImage(data: Buffer): Promise<PageImage> {
  const meta = await sharp(data).metadata();
  return { data, width: meta.width!, height: meta.height!, dpi: 300, index: 1 };
}

async function read(rel: string, languages = ALL): Promise<{ page: Page; text: string; gt: string }> {
  const file = path.join(corpus, rel);
  const page = await engine.recognize(await pageImage(await readFile(file)), { languages });
  const gt = await readFile(file.replace(/\.(png|jpg)$/, '.gt.txt'), 'utf8').catch(() => '');
  return { page, text: pageLines(page).map((l) => l.text).join('\n'), gt };
}

/** Boxes inside the given image, confidences in (0, 1], words that rebuild their line. */
function assertBoxesInside(page: Page): void {
  for (const line of pageLines(page)) {
    for (const b of [line.box, ...line.words.map((w) => w.box)]) {
      assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.w <= page.width && b.y + b.h <= page.height, `box ${JSON.stringify(b)} outside ${page.width}x${page.height}`);
    }
    assert.ok(line.confidence > 0 && line.confidence <= 1);
    // The tree's joining rule: CJK lines concatenate their words, other lines join them with spaces.
    assert.equal(line.words.map((w) => w.text).join(line.cjk ? '' : ' '), line.text);
    for (const w of line.words) assert.ok(w.confidence > 0 && w.confidence <= 1);
  }
}

test('descriptor: covers exactly Chinese, English and Digits', () => {
  assert.equal(ppocrDescriptor.id, 'ppocr');
  assert.ok(ppocrDescriptor.covers(['English']));
  assert.ok(ppocrDescriptor.covers(['ChinesePRC', 'English', 'Digits']));
  assert.ok(!ppocrDescriptor.covers(['English', 'German']));
  assert.ok(!ppocrDescriptor.covers([]));
});

test('English page: text, tree shape, word boxes and spaces between words', async () => {
  const { page, text, gt } = await read('images-en/tessjs_testocr.png', ['English']);
  assert.ok(cer(text, gt) < 0.05, `CER ${cer(text, gt)}: ${text}`);
  assert.equal(page.width, 640); assert.equal(page.height, 480); assert.equal(page.rotation, 0);
  const lines = pageLines(page);
  assert.equal(lines.length, 8);
  assertBoxesInside(page);
  const first = lines[0];
  assert.ok(!first.cjk);
  assert.equal(first.words.map((w) => w.text).join(' '), first.text, 'words joined by spaces give the line');
  assert.ok(first.words.length >= 10, `words: ${first.words.map((w) => w.text)}`);
  // Word boxes run left to right along the line.
  for (let i = 1; i < first.words.length; i++) assert.ok(first.words[i].box.x >= first.words[i - 1].box.x);
});

test('Chinese line image (no detection margin) reads as one CJK line', async () => {
  const { page, text, gt } = await read('images-zh/rapidocr_test_without_det.jpg');
  assert.ok(cer(text, gt) < 0.1, `CER ${cer(text, gt)}: ${text}`);
  const lines = pageLines(page);
  assert.equal(lines.length, 1);
  assert.ok(lines[0].cjk);
  assertBoxesInside(page);
  assert.equal(lines[0].words.map((w) => w.text).join(''), lines[0].text, 'CJK words concatenate to the line');
});

test('mixed Chinese and English keeps the English space; digits beside Chinese', async () => {
  const hello = await read('images-zh/cnocr_helloworld.jpg');
  assertBoxesInside(hello.page);
  assert.ok(cer(hello.text, hello.gt) < 0.15, `CER ${cer(hello.text, hello.gt)}: ${hello.text}`);
  assert.match(hello.text, /Hello world/);
  const phone = await read('images-zh/paddle_word_3.jpg');
  assert.ok(cer(phone.text, phone.gt) < 0.15, `CER: ${phone.text}`);
  assert.match(phone.text, /15952301928/);
  const product = await read('images-zh/paddle_11.jpg');
  assert.ok(cer(product.text, product.gt) < 0.2, `CER ${cer(product.text, product.gt)}`);
  assertBoxesInside(product.page);
});

test('rotated pages are turned upright and boxes stay in the given image', async () => {
  const r180 = await read('images-en/tess_phototest-rotated-180.png', ['English']);
  assert.equal(r180.page.rotation, 180);
  assert.ok(cer(r180.text, r180.gt) < 0.1, `CER ${cer(r180.text, r180.gt)}`);
  assertBoxesInside(r180.page);
  const left = await read('images-en/tess_phototest-rotated-L.png', ['English']);
  assert.equal(left.page.rotation, 90);
  assert.equal(left.page.width, 480); assert.equal(left.page.height, 640);
  assert.ok(cer(left.text, left.gt) < 0.1, `CER ${cer(left.text, left.gt)}`);
  assertBoxesInside(left.page);
  // The text runs down the unrotated image: line boxes are taller than wide.
  const longest = pageLines(left.page).sort((a, b) => b.text.length - a.text.length)[0];
  assert.ok(longest.box.h > 3 * longest.box.w);
});

test('a page skewed by 5° keeps its lines whole and in order', async () => {
  const file = path.join(corpus, 'images-en/tessjs_testocr.png');
  const data = await sharp(await readFile(file)).flatten({ background: '#ffffff' }).rotate(5, { background: '#ffffff' }).png().toBuffer();
  const page = await engine.recognize(await pageImage(data), { languages: ['English'] });
  const text = pageLines(page).map((l) => l.text).join('\n');
  const gt = await readFile(file.replace('.png', '.gt.txt'), 'utf8');
  assert.ok(cer(text, gt) < 0.1, `CER ${cer(text, gt)}: ${text}`);
  assert.equal(pageLines(page).length, 8);
});

test('Digits alone restricts the output to digits and separators', async () => {
  const { text } = await read('images-zh/paddle_word_3.jpg', ['Digits']);
  assert.match(text, /^[0-9.,\-+/: ]*$/);
  assert.match(text, /15952301928/);
});

test('an aborted signal rejects with CANCELLED', async () => {
  const data = await readFile(path.join(corpus, 'images-en/tessjs_testocr.png'));
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(engine.recognize(await pageImage(data), { languages: ['English'], signal: ac.signal }),
    (e: unknown) => e instanceof DocrError && e.code === 'CANCELLED');
  const late = new AbortController();
  const pending = engine.recognize(await pageImage(data), { languages: ['English'], signal: late.signal });
  setTimeout(() => late.abort(), 50);
  await assert.rejects(pending, (e: unknown) => e instanceof DocrError && e.code === 'CANCELLED');
});

test('undecodable bytes fail as ENGINE_FAILED', async () => {
  await assert.rejects(engine.recognize({ data: Buffer.from('not an image'), width: 1, height: 1, dpi: 300, index: 1 }, { languages: ['English'] }),
    (e: unknown) => e instanceof DocrError && e.code === 'ENGINE_FAILED');
});
