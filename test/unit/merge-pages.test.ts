import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeTextLayerWithOcr } from '../../src/domain/merge-pages.js';
import type { Line, Page } from '../../src/domain/ocr-tree.js';
import { pageLines } from '../../src/domain/ocr-tree.js';

const line = (text: string, x: number, y: number, w = 200, h = 30): Line => ({
  text, box: { x, y, w, h }, confidence: 0.9, words: [{ text, box: { x, y, w, h }, confidence: 0.9 }],
});
const page = (blocks: Page['blocks'], source: Page['source'], width = 1000): Page => ({
  index: 1, width, height: width, dpi: 300, rotation: 0, blocks, source, warnings: [],
});

test('OCR lines inside a picture are added; text-layer lines win where both read the same text', () => {
  const textPage = page([
    { kind: 'text', box: { x: 0, y: 0, w: 400, h: 30 }, lines: [line('Exact heading', 0, 0, 400)] },
    { kind: 'text', box: { x: 0, y: 800, w: 400, h: 30 }, lines: [line('Exact footer', 0, 800, 400)] },
    { kind: 'figure', box: { x: 100, y: 300, w: 500, h: 300 }, lines: [] },
  ], 'text-layer');
  const ocr = page([{ kind: 'text', box: { x: 0, y: 0, w: 600, h: 830 }, lines: [
    line('Exaet heading', 0, 2, 400), line('Happy New Year 2003!', 150, 400), line('Exact footer', 0, 800, 400),
  ] }], 'ocr');
  const merged = mergeTextLayerWithOcr(textPage, ocr);
  assert.deepEqual(pageLines(merged).map((l) => l.text), ['Exact heading', 'Happy New Year 2003!', 'Exact footer']);
  assert.equal(merged.source, 'mixed');
});

test('OCR of an image of another size is scaled into the text page pixels', () => {
  const textPage = page([{ kind: 'figure', box: { x: 500, y: 500, w: 400, h: 400 }, lines: [] }], 'text-layer', 1000);
  const ocr = page([{ kind: 'text', box: { x: 0, y: 0, w: 500, h: 500 }, lines: [line('inside', 300, 300, 100, 20)] }], 'ocr', 500);
  const merged = mergeTextLayerWithOcr(textPage, ocr);
  const [l] = pageLines(merged);
  assert.equal(l.text, 'inside');
  assert.deepEqual(l.box, { x: 600, y: 600, w: 200, h: 40 });
});

test('nothing inside the pictures leaves the text page as it was', () => {
  const textPage = page([{ kind: 'text', box: { x: 0, y: 0, w: 400, h: 30 }, lines: [line('only text', 0, 0)] },
    { kind: 'figure', box: { x: 0, y: 500, w: 100, h: 100 }, lines: [] }], 'text-layer');
  const merged = mergeTextLayerWithOcr(textPage, page([], 'ocr'));
  assert.equal(merged.source, 'text-layer');
  assert.deepEqual(pageLines(merged).map((l) => l.text), ['only text']);
});
