/** The native Tesseract engine on real corpus images, judged by CER thresholds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cer } from '../../bench/lib/cer.js';
import { pageLines } from '../../src/domain/ocr-tree.js';
import type { Page } from '../../src/domain/ocr-tree.js';
import { createTesseractEngine } from '../../src/engines/tesseract/index.js';
import { DIGIT_CHARS } from '../../src/engines/tesseract/args.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { corpusImage, groundTruth } from '../fixtures/corpus.js';

const text = (page: Page, languages: string[]) => renderTxt({ pages: [page], languages });

async function read(rel: string, languages: string[]): Promise<{ page: Page; cer: number; text: string }> {
  const engine = await createTesseractEngine();
  const page = await engine.recognize(await corpusImage(rel), { languages });
  const t = text(page, languages);
  return { page, text: t, cer: cer(t, groundTruth(rel)) };
}

test('English page: low CER, boxes inside the page, confidences in 0..1', async () => {
  const r = await read('images-en/tessjs_testocr.png', ['English']);
  assert.ok(r.cer < 0.05, `CER ${r.cer}`);
  assert.equal(r.page.rotation, 0);
  for (const line of pageLines(r.page)) {
    assert.ok(line.confidence >= 0 && line.confidence <= 1);
    for (const w of line.words) {
      assert.ok(w.box.x >= 0 && w.box.y >= 0 && w.box.x + w.box.w <= r.page.width && w.box.y + w.box.h <= r.page.height, JSON.stringify(w));
    }
  }
});

test('pages turned by 180° and 90° are read upright and the rotation reported', async () => {
  const r180 = await read('images-en/tess_phototest-rotated-180.png', ['English']);
  assert.ok(r180.cer < 0.05, `CER ${r180.cer}`);
  assert.equal(r180.page.rotation, 180);
  const r90 = await read('images-en/tess_phototest-rotated-L.png', ['English']);
  assert.ok(r90.cer < 0.05, `CER ${r90.cer}`);
  assert.equal(r90.page.rotation, 90);
});

test('European paragraph with five Latin-script languages loaded together', async () => {
  const r = await read('images-other/pytesseract_test-european.jpg', ['English', 'German', 'French', 'Italian', 'Spanish', 'Portuguese']);
  assert.ok(r.cer < 0.1, `CER ${r.cer}`);
});

test('non-Latin scripts: Russian, Greek, Traditional Chinese (no spaces between CJK characters)', async () => {
  const ru = await read('images-other/rapidocr_eslav.jpg', ['Russian']);
  assert.ok(ru.cer < 0.15, `ru CER ${ru.cer}`);
  const el = await read('images-other/rapidocr_el_rec.jpg', ['Greek']);
  assert.ok(el.cer < 0.25, `el CER ${el.cer}`);
  const zh = await read('images-other/tessjs_chinese.png', ['ChineseTaiwan']);
  assert.ok(zh.cer < 0.2, `zh-Hant CER ${zh.cer}`);
  assert.ok(pageLines(zh.page).every((l) => l.cjk === true && !/\s/.test(l.text)), JSON.stringify(pageLines(zh.page).map((l) => l.text)));
});

test('Digits alone restricts recognition to digits and their separators', async () => {
  const r = await read('images-en/sroie_002.jpg', ['Digits']);
  const allowed = new Set([...DIGIT_CHARS, '\n', '\f']);
  assert.ok([...r.text].every((c) => allowed.has(c)), r.text);
  // The receipt's amounts still come through.
  assert.match(r.text, /19\.00/);
  assert.match(r.text, /8\.02/);
});

test('a single-line crop its page segmentation finds nothing in is read again as one line, boxes in the crop', async () => {
  // A low-contrast Korean word struck through by a white line, 48 px high: psm 1 reads nothing.
  const r = await read('images-other/paddle_korean_1.jpg', ['Korean']);
  assert.ok(r.cer <= 0.5, `CER ${r.cer}: ${r.text}`);
  assert.deepEqual([r.page.width, r.page.height], [181, 48]);
  for (const w of pageLines(r.page).flatMap((l) => l.words)) {
    assert.ok(w.box.x >= 0 && w.box.y >= 0 && w.box.x + w.box.w <= 181 && w.box.y + w.box.h <= 48 && w.box.w > 0, JSON.stringify(w));
  }
});
