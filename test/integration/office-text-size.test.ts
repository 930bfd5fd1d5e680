/**
 * docx and pptx size text from its ink, not from detection boxes: a page set in 9.6 pt type
 * (40 px at 300 dpi), read by PP-OCR (whose boxes are padded by about half the text height),
 * comes out near 9.6 pt in Word and on the slide.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OcrEngine } from '../../src/ports/ocr-engine.js';
import { createPpocrEngine } from '../../src/engines/ppocr/index.js';
import { analyseLayout } from '../../src/layout/index.js';
import { createRenderers } from '../../src/renderers/index.js';
import { pageImage, renderPage } from '../fixtures/rendered-text.js';
import { zipText } from './render-read-back.js';

let ppocr: OcrEngine;
before(async () => { ppocr = await createPpocrEngine({ threads: 1 }); });
after(async () => { await ppocr?.close(); });

const LINES = ['Harbour reports from the northern coast arrive each morning', 'by telegraph and are printed here before the market opens,', 'so that merchants know which ships have come in overnight.'];
const SIZE_PT = (40 * 72) / 300;

test('docx and pptx: a 9.6 pt paragraph read by PP-OCR is set near 9.6 pt', async () => {
  const image = await pageImage(await renderPage(1400, 400, LINES.map((text, i) => ({ text, x: 80, y: 60 + i * 52, size: 40, font: 'Liberation Serif' }))));
  const page = await analyseLayout(await ppocr.recognize(image, { languages: ['English'] }), image);
  const input = { doc: { pages: [page], languages: ['English'] }, pageImage: async () => image };
  const renderers = createRenderers({ pptxBackground: false });
  const docx = await zipText(await renderers('docx').render(input), 'word/document.xml');
  const docxSizes = [...docx.matchAll(/<w:sz w:val="(\d+)"\/>/g)].map((m) => Number(m[1]) / 2);
  assert.ok(docxSizes.length > 0 && docxSizes.every((s) => Math.abs(s - SIZE_PT) <= 0.15 * SIZE_PT), `docx sizes ${docxSizes} against ${SIZE_PT} pt`);
  const slide = await zipText(await renderers('pptx').render(input), 'ppt/slides/slide1.xml');
  const pptxSizes = [...slide.matchAll(/ sz="(\d+)"/g)].map((m) => Number(m[1]) / 100);
  assert.ok(pptxSizes.length > 0 && pptxSizes.every((s) => s <= 1.15 * SIZE_PT && s >= 0.7 * SIZE_PT), `pptx sizes ${pptxSizes} against ${SIZE_PT} pt`);
});
