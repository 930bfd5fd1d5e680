/**
 * Receipts read as the API returns them (PP-OCR, layout analysis, txt): the corpus's SROIE
 * receipts by CER against their upper-cased truths (MEASURING.md: compared upper-cased). Each
 * threshold sits between the figure before and after the fix it guards: dot leaders followed on
 * the image (001), a lone quantity digit kept on its row (007), a handwritten total circled
 * across two rows merging neither (004).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { cer } from '../../bench/lib/cer.js';
import { createPpocrEngine } from '../../src/engines/ppocr/index.js';
import type { OcrEngine } from '../../src/ports/ocr-engine.js';
import { analyseLayout } from '../../src/layout/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { CORPUS } from '../fixtures/corpus.js';

let engine: OcrEngine;
before(async () => { engine = await createPpocrEngine({ threads: 2 }); });
after(async () => { await engine.close(); });

async function receiptCer(n: number): Promise<{ cer: number; txt: string }> {
  const file = path.join(CORPUS, `images-en/sroie_00${n}.jpg`);
  const data = await readFile(file);
  const meta = await sharp(data).metadata();
  const image = { data, width: meta.width!, height: meta.height!, dpi: 300, index: 1 };
  const page = await analyseLayout(await engine.recognize(image, { languages: ['English'] }), image);
  const txt = renderTxt({ pages: [page], languages: ['English'] });
  const gt = await readFile(file.replace(/\.jpg$/, '.gt.txt'), 'utf8');
  return { cer: cer(txt, gt, 'latin', { upperCase: true }), txt };
}

test('dot leaders come out with their dots (SROIE 001: 19.9 % before, 10.8 % after)', async () => {
  const r = await receiptCer(1);
  assert.ok(r.cer <= 0.14, `CER ${(100 * r.cer).toFixed(2)} %\n${r.txt}`);
  assert.match(r.txt, /CASH\.{15,} RM 70\.30/);
});

test('a lone quantity digit stays on its item row (SROIE 007: 7.5 % before, 1.4 % after)', async () => {
  const r = await receiptCer(7);
  assert.ok(r.cer <= 0.04, `CER ${(100 * r.cer).toFixed(2)} %\n${r.txt}`);
  assert.match(r.txt, /4132\s+1\s+20\.00\s+20\.00/);
});

test('a handwritten total circled across CASH and CHANGE merges neither row (SROIE 004: 9.9 % before, 8.4 % after)', async () => {
  const r = await receiptCer(4);
  assert.ok(r.cer <= 0.092, `CER ${(100 * r.cer).toFixed(2)} %\n${r.txt}`);
  assert.match(r.txt, /^CHANGE\s+RM 20\.10$/m);
});
