/**
 * The engine policy on real pages: the PP-OCR engine measures the page after detection and
 * hands a clean dense scan to Tesseract (boxes in the page's pixels, the decision on the page),
 * keeps a receipt photo, and with the policy off reads everything itself.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cer } from '../../bench/lib/cer.js';
import { createPpocrEngine } from '../../src/engines/ppocr/index.js';
import { pageLines } from '../../src/domain/ocr-tree.js';
import type { OcrEngine } from '../../src/ports/ocr-engine.js';
import { corpusImage, corpusPath } from '../fixtures/corpus.js';

let on: OcrEngine, off: OcrEngine;
before(async () => { [on, off] = await Promise.all([createPpocrEngine({ threads: 1, policy: 'on' }), createPpocrEngine({ threads: 1, policy: 'off' })]); });
after(async () => { await Promise.all([on.close(), off.close()]); });

const text = (page: Awaited<ReturnType<OcrEngine['recognize']>>) => pageLines(page).map((l) => l.text).join('\n');

test('a clean dense scan is read by Tesseract, as well as PP-OCR reads it, boxes inside the page', async () => {
  const image = await corpusImage('images-en/ocrmypdf_linn.png');
  const page = await on.recognize(image, { languages: ['English'] });
  assert.deepEqual(page.engine, { id: 'tesseract', reason: 'clean, upright, dense Latin print' });
  assert.equal(page.width, image.width);
  const gt = readFileSync(corpusPath('images-en/ocrmypdf_linn.gt.txt'), 'utf8');
  const routed = cer(text(page), gt), own = cer(text(await off.recognize(image, { languages: ['English'] })), gt);
  assert.ok(routed <= own + 0.01, `Tesseract ${routed} vs PP-OCR ${own}`);
  for (const l of pageLines(page)) assert.ok(l.box.x >= 0 && l.box.y >= 0 && l.box.x + l.box.w <= image.width + 1 && l.box.y + l.box.h <= image.height + 1, JSON.stringify(l.box));
});

test('a receipt photo stays with PP-OCR, and Chinese pages whatever they look like', async () => {
  const receipt = await on.recognize(await corpusImage('images-en/sroie_002.jpg'), { languages: ['English'] });
  assert.equal(receipt.engine?.id, 'ppocr');
  assert.match(receipt.engine!.reason, /small print|tilted|contrast|columns/);
  const scan = await on.recognize(await corpusImage('images-en/ocrmypdf_linn.png'), { languages: ['ChinesePRC', 'English', 'Digits'] });
  assert.equal(scan.engine?.id, 'ppocr');
});

test('with the policy off PP-OCR reads the dense scan itself', async () => {
  const page = await off.recognize(await corpusImage('images-en/ocrmypdf_linn.png'), { languages: ['English'] });
  assert.deepEqual(page.engine, { id: 'ppocr', reason: 'policy off' });
});

test('a routed page whose Tesseract fails is read by PP-OCR, saying so', async () => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent'; // no tesseract to run
  try {
    const page = await on.recognize(await corpusImage('images-en/ocrmypdf_linn.png'), { languages: ['English'] });
    assert.equal(page.engine?.id, 'ppocr');
    assert.match(page.engine!.reason, /Tesseract failed/);
    assert.ok(pageLines(page).length > 20, 'the page is still read');
  } finally {
    process.env.PATH = path;
  }
});
